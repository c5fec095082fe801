import { test, expect } from "@playwright/test";
import { OWNER, signIn } from "./fixtures";

test("an operator adds a document to the knowledge base, searches it, and sees the highlighted result", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Knowledge base" }).click();
  await expect(page.getByText("No documents yet.")).toBeVisible();

  const form = page.getByRole("form", { name: "Add document" });
  await form.getByRole("button", { name: "Add document" }).click();
  await expect(form.getByText("Give the document a title")).toBeVisible();
  await form.getByLabel("Title").fill("Incident runbook");
  await form.getByRole("textbox", { name: /^Text/ }).fill("When a provider fails repeatedly, the circuit breaker opens and research falls back to the next provider.");
  await form.getByRole("button", { name: "Add document" }).click();
  await expect(page.getByTestId("document-Incident runbook")).toBeVisible();

  await page.getByLabel("Search", { exact: true }).fill("circuit breaker");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/q=circuit\+breaker/);
  const hit = page.getByTestId("knowledge-hit").first();
  await expect(hit).toContainText("Incident runbook");
  await expect(hit).toContainText("local knowledge base");
  await expect(hit.locator("mark").first()).toHaveText(/circuit/i);

  // The Research page answers from the knowledge base and says so.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Research" }).click();
  await page.getByLabel("Question or keywords").fill("circuit breaker");
  await page.getByRole("button", { name: "Research", exact: true }).click();
  await expect(page.getByTestId("research-result").first()).toContainText("Incident runbook");
  await expect(page.getByTestId("result-provider").first()).toHaveText("local knowledge base");
  await expect(page.getByRole("cell", { name: "local", exact: true })).toBeVisible();
  await expect(page.getByTestId("provider-health")).toContainText("local knowledge base");
  await page.reload();
  await expect(page.getByTestId("cached")).toBeVisible();

  // A program submits a task that asks for research; its page shows the attached findings.
  const taskId = await page.evaluate(async () => {
    const res = await fetch("/api/trpc/tasks.submit", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { taskType: "incident-review", payload: { description: "Why did the circuit breaker open?" }, research: { deriveFromDescription: true } } }),
    });
    return (await res.json()).result.data.json.taskId as string;
  });
  await page.goto(`/tasks/${taskId}`);
  await expect(page.getByTestId("task-findings")).toContainText("Incident runbook");
  await expect(page.getByTestId("task-findings")).toContainText("local knowledge base");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Knowledge base" }).click();
  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("document-Incident runbook").getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId("document-Incident runbook")).toHaveCount(0);
});
