import { test, expect } from "@playwright/test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { OWNER, inviteAndJoin, registerAgent, signIn } from "./fixtures";

const run = promisify(execFile);

const OPERATOR = { email: "operator@e2e.test", password: "operator-password-2026" };
const APPROVER = { email: "approver@e2e.test", password: "approver-password-2026" };

const SPEC = `id: FEAT-0100
title: Split the billing module into ledger and invoices
risk_tier: 2
mode: refactor
lifecycle_state: active
blast_radius: { modules: [billing] }
operational_rollback_slo: 10m
scope:
  in: [src/billing/]
  out: [src/billing/legacy/]
invariants: [ledger totals unchanged]
acceptance:
  - { id: A1, given: the old module, when: split, then: every test still passes }
non_functional: { performance: [no slower invoices] }
contracts: [{ name: billing-api, type: api, path: api/billing.yaml }]
`;

test.describe.configure({ mode: "serial" });

test("a task over budget waits for a waiver that two people approve in the browser, then it is routed, and the audit chain shows it all", async ({ page, browser, baseURL }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await inviteAndJoin(page, browser, OPERATOR.email, "operator", "Otto Operator", OPERATOR.password);
  await inviteAndJoin(page, browser, APPROVER.email, "approver", "Ada Approver", APPROVER.password);

  // The policy: the defaults, except that a change over its budget waits for a waiver.
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Constitution" }).click();
  const editor = page.getByLabel("Policy YAML", { exact: true });
  await expect(editor).toHaveValue(/budget_limit: \{ enabled: true, mode: block, on_violation: deny \}/);
  const defaults = await editor.inputValue();
  await editor.fill(defaults.replace("version: 1", "version: 2"));
  await expect(page.getByLabel("Errors")).toContainText("line 2 /version: must be equal to constant");
  await expect(page.getByRole("button", { name: "Save as new version" })).toBeDisabled();
  await editor.fill(defaults.replace("on_violation: deny }", "on_violation: needs_waiver }"));
  await expect(page.getByText("No errors")).toBeVisible();
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByRole("status")).toContainText("Saved version 1. It is not active until you activate it.");
  await expect(page.getByTestId("impact-summary")).toContainText("replayed");
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Activate v1" }).click();
  await expect(page.getByRole("status")).toContainText("Version 1 is active.");
  await expect(page.getByTestId("policy-version-1")).toContainText("active");

  // The spec the change works under.
  await page.getByRole("link", { name: "Specs" }).click();
  const upload = page.getByLabel("Load Spec YAML from a file");
  await expect(upload).toBeEnabled();
  await upload.setInputFiles({ name: "feat-0100.yaml", mimeType: "text/yaml", buffer: Buffer.from(SPEC) });
  await expect(page.getByLabel("Spec YAML", { exact: true })).toHaveValue(SPEC);
  await expect(page.getByText("Format: current CAWS spec")).toBeVisible();
  await page.getByRole("button", { name: "Save spec" }).click();
  await expect(page.getByRole("status")).toContainText("Saved FEAT-0100 version 1 (current format).");
  await expect(page.getByRole("link", { name: "FEAT-0100" })).toBeVisible();

  // An agent that takes refactors, and a token for the program that submits the change.
  await nav.getByRole("link", { name: "Agents" }).click();
  await registerAgent(page, "refactorer", "refactor:0.9", "3");
  await nav.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Name").fill("change-client");
  await page.getByLabel("Role", { exact: true }).selectOption("member");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();

  // The operator watches the waiver queue before anything is requested.
  const operatorContext = await browser.newContext();
  const operator = await operatorContext.newPage();
  await signIn(operator, OPERATOR.email, OPERATOR.password);
  await operator.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Waivers" }).click();
  await expect(operator.getByText("Nothing waits for approval.")).toBeVisible();

  // 105 files against tier 2's budget of 100: the task waits.
  const submitted = await run("node_modules/.bin/tsx", ["examples/submit-change.ts", "--type", "refactor", "--spec", "FEAT-0100", "--files", "105"], {
    env: { ...process.env, ARBITER_URL: baseURL!, ARBITER_TOKEN: token },
  });
  expect(submitted.stdout).toMatch(/verdict needs_waiver/);
  expect(submitted.stdout).toContain("budget.max_files [budget_limit] -> needs_waiver: 105 files exceeds the budget of 100 by 5");
  const taskId = /task (\S+): verdict/.exec(submitted.stdout)![1]!;

  // The tenant asks for a waiver from the waiting task's page.
  await page.goto(`/tasks/${taskId}`);
  await expect(page.getByRole("heading", { name: /Task/ })).toContainText("awaiting_waiver");
  await page.getByRole("link", { name: "request one" }).click();
  const form = page.getByRole("form", { name: "Request a waiver" });
  await form.getByRole("button", { name: "Request waiver" }).click();
  await expect(form.getByText("Choose at least one gate")).toBeVisible();
  await form.getByLabel("Title").fill("Billing split touches 105 files");
  await form.getByLabel("budget_limit").check();
  await form.getByLabel("Extra files (budget raise)").fill("10");
  await form.getByLabel("Reason").selectOption("architectural_refactor");
  await form.getByLabel("Description").fill("Splitting billing moves every module once; the change cannot be cut smaller.");
  await form.getByLabel("Mitigation").fill("Pure moves, checked by the contract tests; reverted by one revert.");
  await form.getByRole("button", { name: "Request waiver" }).click();
  await expect(form.getByRole("status")).toContainText("Requested WV-0001: it needs 2 approval(s)");
  await expect(page.getByTestId("pending-waivers")).toHaveText("1");

  // The operator's queue shows it without a reload; the operator approves with a comment.
  await expect(operator.getByTestId("waiver-WV-0001")).toBeVisible();
  await operator.getByRole("link", { name: "WV-0001" }).click();
  await operator.getByLabel("Comment").fill("Moves only; contract tests cover the API.");
  await operator.getByRole("button", { name: "Approve" }).click();
  await expect(operator.getByRole("status")).toContainText("Approval recorded: 1 of 2.");
  await operatorContext.close();

  // The owner asked for it and cannot approve it.
  await page.goto("/waivers");
  await page.getByRole("link", { name: "WV-0001" }).click();
  await expect(page.getByText("You requested this waiver; someone else must approve it.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // A second, distinct approver activates it; the waiting task is re-evaluated and assigned.
  const approverContext = await browser.newContext();
  const approver = await approverContext.newPage();
  await signIn(approver, APPROVER.email, APPROVER.password);
  await approver.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Waivers" }).click();
  await approver.getByRole("link", { name: "WV-0001" }).click();
  await expect(approver.getByText("Billing split touches 105 files")).toBeVisible();
  await expect(approver.getByRole("table", { name: "Waiting tasks" })).toContainText(taskId.slice(0, 10));
  await approver.getByLabel("Comment").fill("Agreed, for this refactor only.");
  await approver.getByRole("button", { name: "Approve" }).click();
  await expect(approver.getByRole("status")).toContainText("WV-0001 is active (2 of 2 approvals). 1 waiting task(s) re-evaluated, 1 assigned.");
  await approverContext.close();

  await page.goto(`/tasks/${taskId}`);
  await expect(page.getByRole("heading", { name: /Task/ })).toContainText("assigned");
  await expect(page.getByRole("link", { name: "refactorer" })).toBeVisible();
  await page.getByRole("link", { name: "latest decision" }).click();
  await expect(page.getByTestId("verdict")).toHaveText("allow");
  await expect(page.getByTestId("rule-budget.max_files")).toContainText("105 files within 110 (tier 2 budget raised by 10 by waiver)");
  await expect(page.getByTestId("effective-budget")).toContainText("110 files = 100 (tier 2 baseline) + 10 (waiver WV-0001)");

  // The Decisions page counts both decisions; the audit page shows the chain, and it verifies.
  await nav.getByRole("link", { name: "Decisions" }).click();
  await expect(page.getByTestId("verdicts-chart")).toBeVisible();
  await expect(page.getByRole("table", { name: "Most-failed rules" })).toContainText("budget.max_files");
  await expect(page.getByRole("table", { name: "Waiver usage" })).toContainText("WV-0001");
  await nav.getByRole("link", { name: "Audit" }).click();
  for (const action of ["policy.activated", "spec.version_saved", "waiver.requested", "waiver.approved", "waiver.activated", "constitution.decided"]) {
    await expect(page.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  }
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("chain-verification")).toContainText("Chain verified");
});

test("a dry run shows what a change would get without creating a task", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto("/decisions");
  const before = await page.getByTestId("decisions-total").textContent();
  await page.goto("/constitution/dry-run");
  const form = page.getByRole("form", { name: "Dry run" });
  await form.getByLabel("Task type").fill("refactor");
  await form.getByLabel("Spec").selectOption("FEAT-0100");
  await form.getByLabel("Files touched (one path per line)").fill("src/billing/a.ts\nsrc/auth/b.ts");
  await form.getByLabel("Lines added").fill("20");
  await form.getByLabel("Coverage (0..1)").fill("1.5");
  await form.getByRole("button", { name: "Evaluate" }).click();
  await expect(form.getByText("Between 0 and 1")).toBeVisible();
  await form.getByLabel("Coverage (0..1)").fill("0.6");
  await form.getByRole("button", { name: "Evaluate" }).click();
  const result = page.getByTestId("dry-run-result");
  await expect(result.getByTestId("verdict")).toHaveText("deny");
  await expect(result.getByTestId("rule-scope.in")).toContainText("scope violation: src/auth/b.ts outside scope.in");
  await expect(result.getByTestId("rule-gate.coverage")).toContainText("coverage_threshold: coverage 0.6 is below tier 2's 0.8");
  await page.goto("/decisions");
  await expect(page.getByTestId("decisions-total")).toHaveText(before!);
});

test("budgets show usage and their threshold events", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Budgets" }).click();
  await expect(page.getByText("No budgets: tasks are limited only by the policy's gates.")).toBeVisible();
  const form = page.getByRole("form", { name: "Set a budget" });
  await form.getByLabel("Task type (empty = the whole tenant)").fill("refactor");
  await form.getByLabel("Tasks per day (empty = no limit)").fill("1");
  await form.getByLabel("Cost units per month (empty = no limit)").fill("100");
  await form.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByTestId("budget-refactor")).toContainText("1 of 1");
  await expect(page.getByTestId("tasks-pct-refactor")).toHaveText("100%");
  await expect(page.getByTestId("burndown-refactor")).toBeVisible();
  await expect(page.getByRole("table", { name: "Budget events" })).toContainText("refactor tasks per day reached 100% (1 of 1)");
});
