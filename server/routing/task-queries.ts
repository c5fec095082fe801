// Reading tasks: the filtered, paginated list and one task with its routing decisions.
import type { Db } from "@/server/db/client";
import type { TaskStatus } from "@/server/db/generated/enums";
import { NotFound } from "@/server/errors";

export async function listTasks(
  db: Db,
  q: { tenantId: string; status?: TaskStatus; type?: string; agentId?: string; cursor?: string; limit: number },
) {
  const rows = await db.task.findMany({
    where: {
      tenantId: q.tenantId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.agentId ? { agentId: q.agentId } : {}),
    },
    orderBy: [{ submittedAt: "desc" }, { id: "desc" }],
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return { items: page, nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

export async function getTask(db: Db, tenantId: string, taskId: string) {
  const task = await db.task.findFirst({ where: { id: taskId, tenantId } });
  if (!task) throw new NotFound("Task not found");
  const decisions = await db.routingDecision.findMany({
    where: { taskId, tenantId },
    orderBy: { createdAt: "asc" },
    select: { id: true, result: true, reason: true, chosenAgentId: true, createdAt: true, strategy: true, explored: true },
  });
  const agent = task.agentId ? await db.agent.findFirst({ where: { id: task.agentId, tenantId }, select: { name: true } }) : null;
  return { ...task, agentName: agent?.name ?? null, decisions };
}
