// Validates a CAWS working spec (YAML): parses with positions, tells which format it is (the
// current one, or the legacy one that still carries change_budget), reports every deviation from
// that format's JSON schema with its path and line, then applies the semantic rules (spec-rules.ts)
// that a schema cannot express. It never throws on bad input.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import currentSchema from "./caws/spec.v1.json";
import legacySchema from "./caws/legacy-working-spec.schema.json";
import { parseYamlMapping, schemaIssues, type SourceIssue } from "./yaml-source";
import { semanticSpecIssues } from "./spec-rules";

export type SpecFormat = "current" | "legacy";
export type SpecIssue = SourceIssue;

export type SpecValidation =
  | { parsed: false; format: null; valid: false; errors: SpecIssue[]; warnings: SpecIssue[] }
  | {
      parsed: true;
      format: SpecFormat;
      valid: boolean;
      /** Schema deviations and semantic errors of the format the file is in. */
      errors: SpecIssue[];
      warnings: SpecIssue[];
      /** How many schema errors the file would have against the other format. */
      errorsAgainstOther: number;
      schemaErrors: number;
      spec: Record<string, unknown>;
    };

const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validators = { current: ajv.compile(currentSchema), legacy: ajv.compile(legacySchema) };

export function validateSpec(text: string): SpecValidation {
  const parsed = parseYamlMapping(text, "spec");
  if (!parsed.ok) return { parsed: false, format: null, valid: false, errors: parsed.errors, warnings: [] };
  const spec = parsed.value;
  const against = (format: SpecFormat) => {
    validators[format](spec);
    return schemaIssues(validators[format].errors, parsed.lineOf);
  };
  const current = against("current");
  const legacy = against("legacy");
  // The format is the one the file declares by its shape (change_budget means legacy), else the closer one.
  const format: SpecFormat = "change_budget" in spec ? "legacy" : current.length <= legacy.length ? "current" : "legacy";
  const schemaErrors = format === "current" ? current : legacy;
  const semantic = semanticSpecIssues(spec, format, parsed.lineOf);
  const errors = [...schemaErrors, ...semantic.errors];
  return {
    parsed: true,
    format,
    valid: errors.length === 0,
    errors,
    warnings: semantic.warnings,
    errorsAgainstOther: format === "current" ? legacy.length : current.length,
    schemaErrors: schemaErrors.length,
    spec,
  };
}
