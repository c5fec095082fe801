// The CAWS specs kept as test material (copied from shared/caws) validate or fail exactly as their
// README says: the current-format spec is valid; the Arbiter specs are legacy-format with many
// extensions and conform to neither schema, with every deviation reported with path and line; one
// is not valid YAML.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { validateSpec } from "./spec-validator";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../../tests/fixtures/caws", name), "utf8");

describe("CAWS working-spec validation", () => {
  it("accepts the current-format spec", () => {
    const r = validateSpec(fixture("caws-v11-merge-dryrun.yaml"));
    expect(r).toMatchObject({ parsed: true, format: "current", valid: true, errors: [] });
  });

  it.each([
    ["arbiter-001-agent-registry.yaml", 13, 13],
    ["arbiter-002-task-routing.yaml", 15, 24],
    ["arbiter-003-caws-validator.yaml", 15, 24],
    ["arbiter-005-orchestrator.yaml", 6, 10],
  ])("reports every deviation of %s (legacy: %i errors, current: %i)", (file, legacyErrors, currentErrors) => {
    const r = validateSpec(fixture(file));
    expect(r.parsed).toBe(true);
    if (!r.parsed) return;
    expect(r.format).toBe("legacy");
    expect(r.valid).toBe(false);
    expect(r.errors).toHaveLength(legacyErrors);
    expect(r.errorsAgainstOther).toBe(currentErrors);
    for (const e of r.errors) {
      expect(e.path.startsWith("/")).toBe(true);
      expect(e.line).toBeGreaterThanOrEqual(1);
    }
  });

  it("reports a YAML parse error with its line instead of crashing", () => {
    const r = validateSpec(fixture("arbiter-006-knowledge-seeker.yaml"));
    expect(r.parsed).toBe(false);
    expect(r.errors[0]!.line).toBe(146);
  });

  it("points at the line of the offending field", () => {
    const r = validateSpec(["id: X-1", "title: t", "risk_tier: 7", "mode: fix", "bogus_field: 1", ""].join("\n"));
    expect(r.parsed).toBe(true);
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.line]));
    expect(byPath["/risk_tier"]).toBe(3);
    expect(byPath["/bogus_field"]).toBe(5);
  });
});
