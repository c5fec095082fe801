import { test, expect } from "@playwright/test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { OWNER, registerAgent, signIn } from "./fixtures";

const run = promisify(execFile);

test.describe.configure({ mode: "serial" });

test("operators register agents, a program routes tasks and reports outcomes, and the routing page shows the learning", async ({ page, baseURL }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Agents" }).click();
  await expect(page.getByText("No agents registered yet.")).toBeVisible();

  // A bad registration shows field messages and registers nothing.
  await page.getByRole("button", { name: "Register agent" }).click();
  const form = page.getByRole("form", { name: "Register" });
  await form.getByLabel(/^Task types/).fill("code-review:1.7");
  await form.getByLabel("Max concurrent tasks").fill("0");
  await form.getByRole("button", { name: "Register" }).click();
  await expect(form.getByText("Name the agent")).toBeVisible();
  await expect(form.getByText("Between 0 and 1")).toBeVisible();
  await expect(form.getByText("At least 1")).toBeVisible();
  await page.getByRole("button", { name: "Close" }).click();

  await registerAgent(page, "alpha", "code-review:0.9", "5");
  await registerAgent(page, "beta", "code-review:0.8", "5");
  // A duplicate name is refused by the server with a field message.
  await page.getByRole("button", { name: "Register agent" }).click();
  const dup = page.getByRole("form", { name: "Register" });
  await dup.getByLabel("Name", { exact: true }).fill("alpha");
  await dup.getByLabel("Model family").fill("x");
  await dup.getByLabel(/^Task types/).fill("code-review");
  await dup.getByRole("button", { name: "Register" }).click();
  await expect(dup.getByText("Already taken in this tenant")).toBeVisible();
  await page.getByRole("button", { name: "Close" }).click();

  // A token for the program.
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Name").fill("router-client");
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();

  const { stdout } = await run("node_modules/.bin/tsx", ["examples/route-tasks.ts", "--count", "30", "--quality", "alpha=0.95,beta=0.2"], {
    env: { ...process.env, ARBITER_URL: baseURL!, ARBITER_TOKEN: token },
  });
  expect(stdout).toMatch(/summary alpha: \d+ tasks/);
  const alphaTasks = Number(/summary alpha: (\d+) tasks/.exec(stdout)![1]);
  expect(alphaTasks).toBeGreaterThan(15); // the better agent gets most of the work

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Routing" }).click();
  // Other specs route other task types; this one looks at code-review.
  await page.getByLabel("Task type").selectOption("code-review");
  await expect(page).toHaveURL(/taskType=code-review/);
  await expect(page.getByTestId("figure-decisions")).toHaveText("30");
  await expect(page.getByTestId("decisions-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("agent-share-chart")).toBeVisible();
  await expect(page.getByTestId("regret-chart")).toBeVisible();
  await expect(page.getByTestId("routing-agent-alpha")).toContainText(`${alphaTasks}`);
  await expect(page.getByTestId("routing-agent-alpha")).toContainText("100%");
  await expect(page.getByTestId("routing-agent-beta")).toContainText("0%");

  // The newest decision's record shows what the router has learnt: alpha's mean reward is above beta's.
  await page.getByRole("link", { name: "Open" }).first().click();
  await expect(page.getByRole("heading", { name: "Decision record" })).toBeVisible();
  await expect(page.getByTestId("decision-outcome")).not.toHaveText("no outcome yet");
  const meanOf = async (name: string) => Number(await page.getByTestId(`candidate-${name}`).locator("td").nth(2).textContent());
  expect(await meanOf("alpha")).toBeGreaterThan(0.8);
  expect(await meanOf("beta")).toBeLessThan(0.5);

  // The agent's own page shows its performance record.
  await page.getByTestId("decision-agent").getByRole("link").click();
  await expect(page.getByTestId(/performance-code-review/)).toBeVisible();
  await expect(page.getByTestId("daily-performance-chart")).toBeVisible();
});

test("an operator drains an agent and the next tasks avoid it", async ({ page, baseURL }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Agents" }).click();
  await page.getByLabel("Status of alpha").selectOption("draining");
  await expect(page.getByLabel("Status of alpha")).toHaveValue("draining");
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Name").fill("drain-client");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  const { stdout } = await run("node_modules/.bin/tsx", ["examples/route-tasks.ts", "--count", "5", "--quality", "alpha=0.95,beta=0.2"], {
    env: { ...process.env, ARBITER_URL: baseURL!, ARBITER_TOKEN: token },
  });
  expect(stdout).toContain("summary beta: 5 tasks");
  expect(stdout).not.toContain("summary alpha");
});
