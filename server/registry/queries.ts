// Reading the registry: the filtered, paginated agent list and one agent's detail page.
import type { Db } from "@/server/db/client";
import { NotFound } from "@/server/errors";
import { percentileFromBuckets } from "@/server/routing/latency-histogram";
import { agentView } from "./service";
import type { AgentStatus } from "./schemas";

export interface AgentListQuery {
  tenantId: string;
  status?: AgentStatus;
  taskType?: string;
  tag?: string;
  search?: string;
  includeUnregistered: boolean;
  cursor?: string;
  limit: number;
}

export async function listAgents(db: Db, q: AgentListQuery) {
  const rows = await db.agent.findMany({
    where: {
      tenantId: q.tenantId,
      ...(q.includeUnregistered ? {} : { unregisteredAt: null }),
      ...(q.status ? { status: q.status } : {}),
      ...(q.tag ? { tags: { has: q.tag } } : {}),
      ...(q.search ? { OR: [{ name: { contains: q.search, mode: "insensitive" } }, { modelFamily: { contains: q.search, mode: "insensitive" } }] } : {}),
      ...(q.taskType ? { capabilities: { some: { kind: "task_type", name: q.taskType } } } : {}),
    },
    include: { capabilities: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const perf = await db.agentPerformance.groupBy({
    by: ["agentId"],
    where: { agentId: { in: page.map((a) => a.id) } },
    _sum: { tasks: true, successes: true },
  });
  const perfByAgent = new Map(perf.map((p) => [p.agentId, p._sum]));
  return {
    items: page.map((a) => {
      const p = perfByAgent.get(a.id);
      const tasks = p?.tasks ?? 0;
      return { ...agentView(a), tasksCompleted: tasks, successRate: tasks > 0 ? (p?.successes ?? 0) / tasks : null };
    }),
    nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
  };
}

export async function getAgentDetail(db: Db, tenantId: string, agentId: string, now = new Date()) {
  const agent = await db.agent.findFirst({ where: { id: agentId, tenantId }, include: { capabilities: true } });
  if (!agent) throw new NotFound("Agent not found");
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const [performance, recentTasks, daily] = await Promise.all([
    db.agentPerformance.findMany({ where: { agentId }, orderBy: { taskType: "asc" } }),
    db.task.findMany({
      where: { agentId, tenantId },
      orderBy: { assignedAt: "desc" },
      take: 20,
      select: { id: true, type: true, status: true, quality: true, latencyMs: true, assignedAt: true, completedAt: true },
    }),
    db.$queryRaw<{ day: string; taskType: string; tasks: bigint; successes: bigint; avgQuality: number | null }[]>`
      SELECT to_char("completedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, type AS "taskType", count(*) AS tasks,
             count(*) FILTER (WHERE success) AS successes, avg(quality) AS "avgQuality"
      FROM tasks WHERE "agentId" = ${agentId} AND "tenantId" = ${tenantId} AND "completedAt" >= ${since} AND success IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
  ]);
  return {
    agent: agentView(agent),
    performance: performance.map((p) => ({
      taskType: p.taskType,
      tasks: p.tasks,
      successRate: p.tasks > 0 ? p.successes / p.tasks : null,
      avgQuality: p.qualityCount > 0 ? p.qualitySum / p.qualityCount : null,
      latencyP50Ms: percentileFromBuckets(p.latencyBuckets, 0.5),
      latencyP95Ms: percentileFromBuckets(p.latencyBuckets, 0.95),
    })),
    recentTasks,
    daily: daily.map((d) => ({
      day: d.day,
      taskType: d.taskType,
      tasks: Number(d.tasks),
      successRate: Number(d.tasks) > 0 ? Number(d.successes) / Number(d.tasks) : null,
      avgQuality: d.avgQuality,
    })),
  };
}
