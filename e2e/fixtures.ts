import { expect, type Page } from "@playwright/test";

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
