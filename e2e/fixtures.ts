import { expect, type Browser, type Page } from "@playwright/test";

export const OWNER = {
  email: "owner@e2e.test",
  name: "E2E Owner",
  password: "owner-password-2026",
  tenantName: "E2E Org",
  tenantSlug: "e2e-org",
} as const;

export const SECOND_TENANT = { name: "Second Org", slug: "second-org" } as const;

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}

/** Registers an agent through the Agents page's form (the page must be open). */
export async function registerAgent(page: Page, name: string, taskTypes: string, maxConcurrent: string) {
  await page.getByRole("button", { name: "Register agent" }).click();
  const form = page.getByRole("form", { name: "Register" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Model family").fill("claude-sonnet-4");
  await form.getByLabel(/^Task types/).fill(taskTypes);
  await form.getByLabel("Languages").fill("typescript:0.8");
  await form.getByLabel("Max concurrent tasks").fill(maxConcurrent);
  await form.getByRole("button", { name: "Register" }).click();
  await expect(page.getByTestId(`agent-row-${name}`)).toBeVisible();
}

/** Invites a member with a role and has them accept in their own browser context; returns nothing. */
export async function inviteAndJoin(page: Page, browser: Browser, email: string, role: string, name: string, password: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Invite" }).click();
  const link = (await page.getByTestId("invite-link").textContent())!.trim();
  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(link);
  await invitee.getByLabel("Your name").fill(name);
  await invitee.getByLabel("Choose a password").fill(password);
  await invitee.getByRole("button", { name: "Create account" }).click();
  await expect(invitee.getByText("Your account is ready.")).toBeVisible();
  await context.close();
}
