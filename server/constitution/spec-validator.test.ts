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
    expect(r.schemaErrors).toBe(legacyErrors);
    expect(r.errorsAgainstOther).toBe(currentErrors);
    expect(r.warnings.map((w) => w.path)).toContain("/change_budget");
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

  describe("semantic rules", () => {
    const spec = (tier: number, extra: string[] = []) =>
      [
        "id: FEAT-0001",
        "title: A feature with a long enough title",
        `risk_tier: ${tier}`,
        "mode: feature",
        "lifecycle_state: active",
        "blast_radius:",
        "  modules: [api]",
        "scope:",
        "  in: [src/api/]",
        "  out: []",
        "invariants: [nothing breaks]",
        "acceptance:",
        "  - id: A1",
        "    given: a",
        "    when: b",
        "    then: c",
        "non_functional: {}",
        "contracts: []",
        ...extra,
        "",
      ].join("\n");

    it("needs contracts on tiers 1-2 but not on tier 3", () => {
      const t2 = validateSpec(spec(2));
      expect(t2.valid).toBe(false);
      expect(t2.errors).toEqual([{ path: "/contracts", line: 18, message: "tier 2 needs at least one contract" }]);
      expect(t2.warnings.map((w) => w.path)).toEqual(["/non_functional"]);
      expect(validateSpec(spec(3))).toMatchObject({ valid: true, errors: [] });
    });

    it("needs observability, rollback, security and a rollback SLO on tier 1", () => {
      const r = validateSpec(spec(1));
      expect(r.errors.map((e) => e.path).sort()).toEqual(["/contracts", "/non_functional/security", "/observability", "/operational_rollback_slo", "/rollback"]);
    });

    it("allows experimental mode only on tier 3", () => {
      const experimental = ["experimental_mode:", "  enabled: true", "  rationale: trying", "  expires_at: '2027-01-01T00:00:00Z'"];
      const onTier2 = validateSpec(spec(2, experimental));
      expect(onTier2.errors.find((e) => e.path === "/experimental_mode")).toMatchObject({ line: 19, message: "experimental mode is allowed only on tier 3, not tier 2" });
      expect(validateSpec(spec(3, experimental)).errors.filter((e) => e.path === "/experimental_mode")).toEqual([]);
    });
  });
});
