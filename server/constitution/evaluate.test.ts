// The constitutional evaluation, rule by rule, with the seed's acceptance scenarios, and the
// properties that must hold for every input (fast-check).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluateChange, type ChangeEvidence, type ChangeProposal, type EvaluationInput } from "./evaluate";
import { DEFAULT_POLICY, validatePolicy, type Policy } from "./policy";
import { validateSpec } from "./spec-validator";
import type { WaiverFacts } from "./waiver-rules";
import { PASSING_EVIDENCE, specYaml } from "../../tests/fixtures/caws-documents";

const NOW = new Date("2026-11-25T12:00:00Z");
const DAY = 86_400_000;

const spec = (tier: 1 | 2 | 3 = 2) => ({ specId: "FEAT-0001", versionId: "sv1", version: 1, validation: validateSpec(specYaml("FEAT-0001", tier)) });

const goodEvidence: ChangeEvidence = PASSING_EVIDENCE;
const change = (files: number, loc = 10, evidence = goodEvidence): ChangeProposal => ({
  files: Array.from({ length: files }, (_, i) => `src/billing/f${i}.ts`),
  linesAdded: loc,
  linesRemoved: 0,
  evidence,
});

const waiver = (over: Partial<WaiverFacts> = {}): WaiverFacts => ({
  id: "WV-0001",
  status: "active",
  gates: ["budget_limit"],
  deltaFiles: 10,
  deltaLoc: null,
  specId: "FEAT-0001",
  taskType: null,
  requestedAt: new Date(NOW.getTime() - DAY),
  expiresAt: new Date(NOW.getTime() + 7 * DAY),
  approvals: 2,
  ...over,
});

const input = (over: Partial<EvaluationInput> = {}): EvaluationInput => ({
  now: NOW,
  policy: DEFAULT_POLICY,
  policyVersionId: null,
  taskType: "code",
  specId: "FEAT-0001",
  spec: spec(1),
  change: change(3),
  waivers: [],
  budgets: [],
  ...over,
});

const rule = (e: ReturnType<typeof evaluateChange>, name: string) => e.rules.find((r) => r.rule === name)!;

describe("evaluateChange: the seed's acceptance scenarios", () => {
  it("allows a change within scope, budget and gates", () => {
    const e = evaluateChange(input());
    expect(e.verdict).toBe("allow");
    expect(e.rules.filter((r) => r.status === "fail")).toEqual([]);
    expect(e.effectiveBudget!.maxFiles).toEqual({ limit: 10, parts: [{ source: "tier 1 baseline", amount: 10 }] });
  });

  it("denies a change 5 files over the tier-1 budget", () => {
    const e = evaluateChange(input({ change: change(15) }));
    expect(e.verdict).toBe("deny");
    expect(rule(e, "budget.max_files")).toMatchObject({ status: "fail", outcome: "deny", message: "15 files exceeds the budget of 10 by 5" });
  });

  it("counts a budget as exceeded only strictly above the limit", () => {
    expect(rule(evaluateChange(input({ change: change(10) })), "budget.max_files").status).toBe("pass");
  });

  it("denies coverage below the tier threshold and names the gate", () => {
    const e = evaluateChange(input({ spec: spec(2), change: change(3, 10, { ...goodEvidence, coverage: 0.75 }) }));
    expect(e.verdict).toBe("deny");
    expect(rule(e, "gate.coverage")).toMatchObject({ status: "fail", gate: "coverage_threshold", message: "coverage_threshold: coverage 0.75 is below tier 2's 0.8" });
  });

  it("allows an over-budget change with an approved budget waiver and records it", () => {
    const e = evaluateChange(input({ change: change(15), waivers: [waiver()] }));
    expect(e.verdict).toBe("allow");
    expect(e.waiversApplied).toEqual([{ id: "WV-0001", gates: ["budget_limit"], raisedFiles: 10, raisedLoc: 0 }]);
    expect(e.effectiveBudget!.maxFiles).toEqual({ limit: 20, parts: [{ source: "tier 1 baseline", amount: 10 }, { source: "waiver WV-0001", amount: 10 }] });
  });

  it("reports a touched path outside scope as a scope violation", () => {
    const e = evaluateChange(input({ change: { ...change(1), files: ["src/billing/a.ts", "src/auth/login.ts", "src/billing/legacy/old.ts"] } }));
    expect(e.verdict).toBe("deny");
    expect(rule(e, "scope.in")).toMatchObject({ status: "fail", message: "scope violation: src/auth/login.ts outside scope.in" });
    expect(rule(e, "scope.out")).toMatchObject({ status: "fail", message: "scope violation: src/billing/legacy/old.ts in scope.out" });
  });

  it("denies with an expired waiver and says it expired", () => {
    const e = evaluateChange(input({ change: change(15), waivers: [waiver({ expiresAt: new Date(NOW.getTime() - 1000) })] }));
    expect(e.verdict).toBe("deny");
    expect(e.waiversSkipped).toEqual([{ id: "WV-0001", reason: "expired at 2026-11-25T11:59:59.000Z" }]);
    expect(rule(e, "budget.max_files").message).toContain("WV-0001 expired at");
  });

  it("denies with a revoked waiver", () => {
    const e = evaluateChange(input({ change: change(15), waivers: [waiver({ status: "revoked" })] }));
    expect(e.verdict).toBe("deny");
    expect(e.waiversSkipped).toEqual([{ id: "WV-0001", reason: "revoked" }]);
  });

  it("skips a budget raise with fewer distinct approvers than the policy needs", () => {
    const e = evaluateChange(input({ change: change(15), waivers: [waiver({ approvals: 1 })] }));
    expect(e.verdict).toBe("deny");
    expect(e.waiversSkipped).toEqual([{ id: "WV-0001", reason: "not enough approvers (1 of 2)" }]);
  });

  it("skips waivers for another spec, another task type, or gates that did not fail", () => {
    const e = evaluateChange(
      input({
        change: change(15),
        waivers: [waiver({ id: "WV-0002", specId: "FEAT-0099" }), waiver({ id: "WV-0003", taskType: "docs" }), waiver({ id: "WV-0004", gates: ["lint"], deltaFiles: null, approvals: 2 })],
      }),
    );
    expect(e.verdict).toBe("deny");
    expect(Object.fromEntries(e.waiversSkipped.map((s) => [s.id, s.reason]))).toEqual({
      "WV-0002": "for another spec (FEAT-0099)",
      "WV-0003": "for another task type (docs)",
      "WV-0004": "gate not covered: it covers lint, and none of those failed",
    });
  });

  it("lets a project-wide waiver cover any spec", () => {
    expect(evaluateChange(input({ change: change(15), waivers: [waiver({ specId: null })] })).verdict).toBe("allow");
  });

  it("a delta too small still fails the budget (it raises, it does not waive)", () => {
    const e = evaluateChange(input({ change: change(25), waivers: [waiver()] }));
    expect(e.verdict).toBe("deny");
    expect(rule(e, "budget.max_files").message).toBe("25 files exceeds the budget of 20 by 5");
  });

  it("waits for a waiver when the gate's policy says so", () => {
    const e = evaluateChange(input({ spec: spec(1), change: change(3, 10, { ...goodEvidence, manualReview: false }) }));
    expect(e.verdict).toBe("needs_waiver");
    expect(rule(e, "gate.manual_review")).toMatchObject({ status: "fail", outcome: "needs_waiver" });
  });

  it("a warn gate reports without blocking", () => {
    const e = evaluateChange(input({ change: change(3, 10, { ...goodEvidence, lintPassed: false }) }));
    expect(e.verdict).toBe("allow");
    expect(rule(e, "gate.lint").status).toBe("warn");
  });

  it("fails a gate whose evidence is missing", () => {
    const e = evaluateChange(input({ change: change(3, 10, { ...goodEvidence, testsPassed: undefined }) }));
    expect(rule(e, "gate.tests")).toMatchObject({ status: "fail", message: "tests_pass: no test result reported" });
  });

  it("denies a task naming a spec that is not on file or invalid", () => {
    expect(rule(evaluateChange(input({ spec: null })), "spec.exists")).toMatchObject({ status: "fail", message: "spec FEAT-0001 is not on file" });
    const invalid = { specId: "FEAT-0001", versionId: "sv2", version: 2, validation: validateSpec("id: FEAT-0001\nrisk_tier: 9\n") };
    const e = evaluateChange(input({ spec: invalid }));
    expect(e.verdict).toBe("deny");
    expect(rule(e, "spec.valid").message).toMatch(/^spec FEAT-0001 v2 is invalid: \d+ error\(s\)/);
  });

  it("without a spec or change only the tenant budgets are checked", () => {
    const e = evaluateChange(input({ specId: null, spec: null, change: null }));
    expect(e.verdict).toBe("allow");
    expect(e.rules.every((r) => r.status === "skip")).toBe(true);
  });

  it("honours non-governed zones and root passthrough", () => {
    const p = validatePolicy(`version: 1
risk_tiers: { "1": { max_files: 10, max_loc: 250 }, "2": { max_files: 10, max_loc: 250 }, "3": { max_files: 10, max_loc: 250 } }
gates: { budget_limit: { enabled: true, mode: block }, spec_completeness: { enabled: true, mode: block }, scope_boundary: { enabled: true, mode: block } }
non_governed_zones: ["docs/**"]
root_passthrough: [package.json]
`);
    expect(p.valid).toBe(true);
    const e = evaluateChange(input({ policy: p.policy!, change: { ...change(1), files: ["src/billing/a.ts", "docs/x.md", "package.json"] } }));
    expect(rule(e, "scope.in").status).toBe("pass");
    expect(e.verdict).toBe("allow");
  });
});

describe("evaluateChange: tenant budgets", () => {
  const budgets = (tasksToday: number) => [
    { id: "b-tenant", taskType: null, tasksPerDay: 100, costUnitsPerMonth: 50, tasksToday, costThisMonth: 10 },
    { id: "b-code", taskType: "code", tasksPerDay: 20, costUnitsPerMonth: null, tasksToday, costThisMonth: 0 },
    { id: "b-docs", taskType: "docs", tasksPerDay: 1, costUnitsPerMonth: null, tasksToday: 5, costThisMonth: 0 },
  ];
  it("checks the tenant-wide and the task type's budget, and ignores other types'", () => {
    const ok = evaluateChange(input({ budgets: budgets(19) }));
    expect(ok.verdict).toBe("allow");
    expect(ok.rules.filter((r) => r.gate === "tenant_budget").map((r) => r.rule)).toEqual(["tenant_budget.tasks_per_day:code", "tenant_budget.tasks_per_day", "tenant_budget.cost_per_month"]);
    const over = evaluateChange(input({ budgets: budgets(20) }));
    expect(over.verdict).toBe("needs_waiver");
    expect(rule(over, "tenant_budget.tasks_per_day:code")).toMatchObject({ status: "fail", message: "tenant budget: 20 of 20 tasks used today (task type code)" });
    expect(rule(over, "tenant_budget.tasks_per_day").status).toBe("pass");
  });
  it("denies instead when the policy says over budget is denied", () => {
    const policy: Policy = { ...DEFAULT_POLICY, overBudget: "deny" };
    expect(evaluateChange(input({ policy, budgets: budgets(20) })).verdict).toBe("deny");
  });
  it("a tenant_budget waiver lets the task through", () => {
    const w = waiver({ gates: ["tenant_budget"], deltaFiles: null, specId: null, approvals: 2 });
    expect(evaluateChange(input({ budgets: budgets(20), waivers: [w] })).verdict).toBe("allow");
  });
});

describe("evaluateChange: properties", () => {
  const evidence = fc.record({
    coverage: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    mutationScore: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    testsPassed: fc.option(fc.boolean(), { nil: undefined }),
    lintPassed: fc.option(fc.boolean(), { nil: undefined }),
    securityScan: fc.option(fc.constantFrom("pass" as const, "fail" as const), { nil: undefined }),
    contractTestsPassed: fc.option(fc.boolean(), { nil: undefined }),
    manualReview: fc.option(fc.boolean(), { nil: undefined }),
  });
  const paths = fc.array(fc.constantFrom("src/billing/a.ts", "src/billing/b/c.ts", "src/auth/x.ts", "src/billing/legacy/y.ts", "tests/billing/u/v.test.ts", "README.md"), { maxLength: 6 });
  const changeArb = fc.record({ files: paths, linesAdded: fc.nat(20_000), linesRemoved: fc.nat(20_000), evidence });
  const gate = fc.constantFrom("budget_limit", "scope_boundary", "coverage_threshold", "mutation_threshold", "tests_pass", "security_scan", "manual_review", "tenant_budget" as const);
  const waiverArb = fc.record({
    id: fc.constantFrom("WV-0001", "WV-0002", "WV-0003", "WV-0004"),
    status: fc.constantFrom("proposed" as const, "active" as const, "revoked" as const, "rejected" as const),
    gates: fc.uniqueArray(gate, { minLength: 1, maxLength: 3 }),
    deltaFiles: fc.option(fc.nat(50), { nil: null }),
    deltaLoc: fc.option(fc.nat(5000), { nil: null }),
    specId: fc.constantFrom(null, "FEAT-0001", "FEAT-0002"),
    taskType: fc.constantFrom(null, "code", "docs"),
    requestedAt: fc.integer({ min: -10, max: 0 }).map((d) => new Date(NOW.getTime() + d * DAY)),
    expiresAt: fc.integer({ min: -3, max: 30 }).map((d) => new Date(NOW.getTime() + d * DAY)),
    approvals: fc.nat(3),
  });
  const budgetArb = fc.record({
    id: fc.constantFrom("b1", "b2"),
    taskType: fc.constantFrom(null, "code"),
    tasksPerDay: fc.option(fc.nat(50), { nil: null }),
    costUnitsPerMonth: fc.option(fc.nat(100), { nil: null }),
    tasksToday: fc.nat(60),
    costThisMonth: fc.nat(120),
  });
  const inputArb = fc.record({
    tier: fc.constantFrom(1 as const, 2 as const, 3 as const),
    change: fc.option(changeArb, { nil: null }),
    waivers: fc.uniqueArray(waiverArb, { selector: (w) => w.id, maxLength: 3 }),
    budgets: fc.uniqueArray(budgetArb, { selector: (b) => b.id, maxLength: 2 }),
  });
  const build = (a: { tier: 1 | 2 | 3; change: ChangeProposal | null; waivers: WaiverFacts[]; budgets: EvaluationInput["budgets"] }, policy = DEFAULT_POLICY) =>
    input({ policy, spec: spec(a.tier), change: a.change, waivers: a.waivers, budgets: a.budgets });
  const rank = { allow: 0, needs_waiver: 1, deny: 2 } as const;

  it("adding an applicable waiver never turns allow into deny (nor makes any verdict stricter)", () => {
    fc.assert(
      fc.property(inputArb, waiverArb, (a, extra) => {
        const before = evaluateChange(build(a));
        const applicable = { ...extra, id: "WV-9999", status: "active" as const, specId: null, taskType: null, expiresAt: new Date(NOW.getTime() + DAY), approvals: 3 };
        const after = evaluateChange(build({ ...a, waivers: [...a.waivers, applicable] }));
        expect(rank[after.verdict]).toBeLessThanOrEqual(rank[before.verdict]);
      }),
      { numRuns: 500 },
    );
  });

  it("raising a budget never adds a budget violation", () => {
    fc.assert(
      fc.property(inputArb, fc.nat(100), fc.nat(10_000), fc.nat(20), (a, moreFiles, moreLoc, moreTasks) => {
        const failing = (e: ReturnType<typeof evaluateChange>) => new Set(e.rules.filter((r) => r.status === "fail" && (r.gate === "budget_limit" || r.gate === "tenant_budget")).map((r) => r.rule));
        const before = failing(evaluateChange(build(a)));
        const raisedTiers = Object.fromEntries(
          ([1, 2, 3] as const).map((t) => [t, { ...DEFAULT_POLICY.tiers[t], maxFiles: DEFAULT_POLICY.tiers[t].maxFiles + moreFiles, maxLoc: DEFAULT_POLICY.tiers[t].maxLoc + moreLoc }]),
        ) as Policy["tiers"];
        const raisedBudgets = a.budgets.map((b) => ({ ...b, tasksPerDay: b.tasksPerDay === null ? null : b.tasksPerDay + moreTasks, costUnitsPerMonth: b.costUnitsPerMonth === null ? null : b.costUnitsPerMonth + moreTasks }));
        const after = failing(evaluateChange(build({ ...a, budgets: raisedBudgets }, { ...DEFAULT_POLICY, tiers: raisedTiers })));
        for (const r of after) expect(before.has(r)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic for the same inputs and now", () => {
    fc.assert(
      fc.property(inputArb, (a) => {
        expect(evaluateChange(build(a))).toEqual(evaluateChange(build({ ...a, waivers: [...a.waivers].reverse(), budgets: [...a.budgets].reverse() })));
      }),
      { numRuns: 300 },
    );
  });
});
