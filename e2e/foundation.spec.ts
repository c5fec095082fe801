import { test, expect } from "@playwright/test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { OWNER, SECOND_TENANT, signIn } from "./fixtures";

const run = promisify(execFile);

async function exampleClient(baseURL: string, token: string) {
  return run("node_modules/.bin/tsx", ["examples/client.ts"], { env: { ...process.env, ARBITER_URL: baseURL, ARBITER_TOKEN: token } })
    .then((r) => ({ code: 0, out: r.stdout + r.stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }));
}

test.describe.configure({ mode: "serial" });

test("a wrong password gets a clear error and no session", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("the owner signs in and sees real overview figures", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await expect(page.getByTestId("signed-in-user")).toContainText(OWNER.email);
  await expect(page.getByTestId("figure-members")).toHaveText("1");
  // tenant.created at least; every later mutation adds to it.
  await expect(page.getByTestId("figure-audit")).not.toHaveText("0");
  await expect(page.getByTestId("events-per-day-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  for (const area of ["Agents", "Routing", "Tasks", "Constitution", "Decisions", "Waivers", "Budgets", "Audit", "Research", "System", "API tokens", "Members", "Roles"]) {
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: area })).toBeVisible();
  }
  // Areas not built yet say so and show no data.
  await page.getByRole("link", { name: "System" }).click();
  await expect(page.getByText("Nothing here yet.")).toBeVisible();
});

test("an owner creates an API token, the example client uses it, and revoking it stops the client", async ({ page, baseURL }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByText("No API tokens yet.")).toBeVisible();

  // Bad input gets a field message and creates nothing.
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("Name the token")).toBeVisible();

  await page.getByLabel("Name").fill("e2e-client");
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^arb_/);
  await expect(page.getByTestId("token-row-e2e-client")).toContainText("active");

  const ok = await exampleClient(baseURL!, token);
  expect(ok.code, ok.out).toBe(0);
  expect(ok.out).toContain(`Authenticated as token:e2e-client in tenant "${OWNER.tenantName}"`);
  expect(ok.out).toContain("api_token.created");

  await page.reload();
  await expect(page.getByTestId("token-row-e2e-client")).not.toContainText("never");

  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("token-row-e2e-client").getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("token-row-e2e-client")).toContainText("revoked");

  const refused = await exampleClient(baseURL!, token);
  expect(refused.code).toBe(1);
  expect(refused.out).toContain("UNAUTHORIZED");
});

test("a viewer invited by the owner cannot reach owner settings or call owner procedures", async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email", { exact: true }).fill("viewer@e2e.test");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Invite" }).click();
  const link = (await page.getByTestId("invite-link").textContent())!.trim();

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await viewer.goto(link);
  await expect(viewer.getByRole("heading", { name: `Join ${OWNER.tenantName}` })).toBeVisible();
  await viewer.getByLabel("Your name").fill("Vera Viewer");
  await viewer.getByLabel("Choose a password").fill("short");
  await viewer.getByRole("button", { name: "Create account" }).click();
  await expect(viewer.getByText("Use at least 12 characters")).toBeVisible();
  await viewer.getByLabel("Choose a password").fill("viewer-password-2026");
  await viewer.getByRole("button", { name: "Create account" }).click();
  await expect(viewer.getByText("Your account is ready.")).toBeVisible();

  await signIn(viewer, "viewer@e2e.test", "viewer-password-2026");
  const nav = viewer.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Audit" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "API tokens" })).toHaveCount(0);
  await viewer.goto("/settings/tokens");
  await expect(viewer.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  await viewer.goto("/settings/members");
  await expect(viewer.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  // The viewer can read the matrix that explains why.
  await viewer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Roles" }).click();
  await expect(viewer.getByLabel("viewer may not tokens:write")).toBeVisible();
  await expect(viewer.getByLabel("owner may tokens:write")).toBeVisible();

  // Calling an owner procedure from the browser with the viewer's session is refused.
  const status = await viewer.evaluate(async () => {
    const res = await fetch("/api/trpc/tokens.create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { name: "sneaky", role: "viewer", scopes: ["*"], expiresInDays: 1 } }),
    });
    return res.status;
  });
  expect(status).toBe(403);
  await viewerContext.close();

  await page.reload();
  await expect(page.getByTestId("member-row-viewer@e2e.test")).toBeVisible();
});

test("the audit page lists the journey's events, filters by URL, and the chain verifies", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("cell", { name: "api_token.revoked" })).toBeVisible();
  await page.getByLabel("Action starts with").fill("member.");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=member\./);
  await expect(page.getByRole("cell", { name: "member.joined" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "api_token.revoked" })).toHaveCount(0);
  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("chain-verification")).toContainText("Chain verified");
});

test("an owner of two tenants switches between them and sees only the selected tenant's data", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const switcher = page.getByLabel("Tenant", { exact: true });
  await expect(switcher).toHaveValue(OWNER.tenantSlug);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByTestId("token-row-e2e-client")).toBeVisible();

  await switcher.selectOption(SECOND_TENANT.slug);
  await expect(switcher).toHaveValue(SECOND_TENANT.slug);
  await expect(page.getByText("No API tokens yet.")).toBeVisible();
  await expect(page.getByTestId("token-row-e2e-client")).toHaveCount(0);
  await page.getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("cell", { name: "tenant.created" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "api_token.created" })).toHaveCount(0);

  await page.getByLabel("Tenant", { exact: true }).selectOption(OWNER.tenantSlug);
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByTestId("token-row-e2e-client")).toBeVisible();
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/settings/tokens");
  await expect(page).toHaveURL(/\/sign-in/);
});
