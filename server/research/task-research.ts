// Research asked for with a task: the queries (given, or derived from the task's description) run
// through the research service after the task is committed, and the findings are attached to the
// task with their provenance (query, provider, rank, time).
import type { Prisma, RootDb } from "@/server/db/client";
import { runInTenantScope } from "@/server/db/tenant-scope";
import { research } from "./service";

export interface TaskResearchRequest {
  queries?: string[];
  deriveFromDescription?: boolean;
}

const STOP_WORDS = new Set("a an the and or of to in on for with by is are be this that it as at from into please".split(" "));

/** The queries to run: the given ones, else keywords from the payload's description/title/prompt. */
export function researchQueriesFor(request: TaskResearchRequest, task: { type: string; payload: unknown }): string[] {
  const given = (request.queries ?? []).map((q) => q.trim()).filter(Boolean);
  if (given.length) return given.slice(0, 5);
  if (!request.deriveFromDescription) return [];
  const payload = task.payload && typeof task.payload === "object" ? (task.payload as Record<string, unknown>) : {};
  const text = [payload.description, payload.title, payload.prompt].find((v): v is string => typeof v === "string" && v.trim().length > 0);
  if (!text) return [task.type.replace(/[-_]/g, " ")];
  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, " ")
    .split(/\s+/)
    .filter((w) => w.length > 2 && !STOP_WORDS.has(w));
  // Any of the keywords may match (websearch "or"); ranking puts documents with more of them first.
  return [words.slice(0, 12).join(" or ")];
}

export async function attachTaskResearch(root: RootDb, tenantId: string, taskId: string, queries: string[], now = new Date()) {
  try {
    const findings: Prisma.TaskFindingCreateManyInput[] = [];
    for (const query of queries) {
      // System work outside the request: every query below filters by the tenant explicitly.
      const answer = await research(root, tenantId, query, 5, now);
      for (const r of answer.results) {
        findings.push({ tenantId, taskId, query, provider: r.provider, rank: r.rank, title: r.title, url: r.url, snippet: r.snippet, quality: r.quality, retrievedAt: answer.at });
      }
    }
    await runInTenantScope(root, tenantId, async (tx) => {
      await tx.taskFinding.createMany({ data: findings });
      await tx.task.updateMany({ where: { id: taskId, tenantId }, data: { researchStatus: "done" } });
    });
    return findings.length;
  } catch (error) {
    await runInTenantScope(root, tenantId, (tx) => tx.task.updateMany({ where: { id: taskId, tenantId }, data: { researchStatus: "failed" } }));
    throw error;
  }
}
