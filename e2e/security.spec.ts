import { test, expect } from "@playwright/test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { OWNER, signIn } from "./fixtures";

const run = promisify(execFile);

test("an operator lowers a rate limit in the UI and the next burst from a program is limited", async ({ page, baseURL }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Name").fill("burst-client");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();

  await page.getByRole("link", { name: "Rate limits" }).click();
  await expect(page.getByTestId("limit-submit")).toContainText("(default)");
  await page.getByTestId("limit-submit").getByRole("button", { name: "Edit" }).click();
  const form = page.getByRole("form", { name: "Rate limit for submit" });
  await form.getByLabel("Calls per window, each user or token").fill("0");
  await form.getByRole("button", { name: "Save limits" }).click();
  await expect(form.getByText("At least 1")).toBeVisible();
  await form.getByLabel("Calls per window, each user or token").fill("5");
  await form.getByLabel("Window (seconds)").fill("300");
  await form.getByRole("button", { name: "Save limits" }).click();
  await expect(page.getByTestId("limit-submit")).toContainText("300 s");
  await expect(page.getByTestId("limit-submit")).not.toContainText("(default)");

  // Each routed task costs 3 submit-class calls (submit, progress, outcome): the 6th call is refused.
  const result = await run("node_modules/.bin/tsx", ["examples/route-tasks.ts", "--count", "4"], {
    env: { ...process.env, ARBITER_URL: baseURL!, ARBITER_TOKEN: token },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
  expect(result.code).toBe(1);
  expect(result.out).toContain("TOO_MANY_REQUESTS");
  expect(result.out).toContain("Rate limit exceeded: 5 submit calls per 300 s per principal");

  await page.reload();
  await expect(page.getByTestId("refused-submit")).toHaveText("1");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await page.getByLabel("Action starts with").fill("security.");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("cell", { name: "security.rate_limited" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "security.rate_limit_changed" })).toBeVisible();
});
