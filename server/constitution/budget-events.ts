// Budget events: the first time in a period that usage reaches 75, 90 or 100% of a budget, an
// event is recorded once (unique per budget, metric, threshold and period) with its audit entry.
import { Prisma } from "@/server/db/generated/client";
import { execute, queryRows, type SqlDb } from "@/server/db/direct-sql";
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from "@/server/audit/service";
import type { BudgetFacts } from "./evaluate";
import { budgetFacts, utcDay, utcMonthStart } from "./inputs";

export const THRESHOLDS = [75, 90, 100] as const;

export interface Crossing {
  budgetId: string;
  taskType: string;
  metric: "tasks_per_day" | "cost_per_month";
  threshold: number;
  periodStart: string;
  used: number;
  limit: number;
}

/** Thresholds that usage has reached, per budget and metric (pure). */
export function thresholdsReached(budgets: BudgetFacts[], now: Date): Crossing[] {
  const out: Crossing[] = [];
  for (const b of budgets) {
    const taskType = b.taskType ?? "*";
    const metrics = [
      { metric: "tasks_per_day" as const, used: b.tasksToday, limit: b.tasksPerDay, periodStart: utcDay(now) },
      { metric: "cost_per_month" as const, used: b.costThisMonth, limit: b.costUnitsPerMonth, periodStart: utcMonthStart(now) },
    ];
    for (const m of metrics) {
      if (m.limit === null || m.limit <= 0) continue;
      for (const threshold of THRESHOLDS) {
        if (m.used >= (m.limit * threshold) / 100) out.push({ budgetId: b.id, taskType, metric: m.metric, threshold, periodStart: m.periodStart, used: m.used, limit: m.limit });
      }
    }
  }
  return out;
}

/** Records crossings (once each) with their audit entries; returns those that were new. */
export async function recordCrossings(tx: SqlDb, tenantId: string, crossings: Crossing[], actor: AuditActor = SYSTEM_ACTOR, now = new Date()) {
  const recorded: Crossing[] = [];
  for (const c of crossings) {
    const rows = await queryRows<{ id: string }[]>(tx, Prisma.sql`
      INSERT INTO budget_events (id, "tenantId", "budgetId", "taskType", metric, threshold, "periodStart", used, "limitValue", "createdAt")
      VALUES (gen_random_uuid()::text, ${tenantId}, ${c.budgetId}, ${c.taskType}, ${c.metric}, ${c.threshold}, ${c.periodStart}::date, ${c.used}, ${c.limit}, ${now})
      ON CONFLICT ("budgetId", metric, threshold, "periodStart") DO NOTHING
      RETURNING id`);
    if (rows.length === 0) continue;
    recorded.push(c);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "budget.threshold_reached",
      target: { type: "budget", id: c.budgetId },
      summary: { taskType: c.taskType, metric: c.metric, threshold: c.threshold, used: c.used, limit: c.limit, periodStart: c.periodStart },
      now,
    });
  }
  return recorded;
}

/**
 * Budget usage is counted by a deferred trigger when the transaction commits, so concurrent
 * assignments do not queue on the tenant's usage row for the rest of their transactions. Work that
 * reads usage after changing it in the same transaction counts what is pending first; the setting
 * lasts to the end of the transaction.
 */
export async function countPendingBudgetUsage(tx: SqlDb): Promise<void> {
  await execute(tx, Prisma.sql`SET CONSTRAINTS arbiter_deferred.count_budget_usage IMMEDIATE`);
}

/** Reads current usage and records every threshold it has reached that is not recorded yet. */
export async function recordBudgetCrossings(tx: SqlDb, tenantId: string, taskType: string | null, actor: AuditActor = SYSTEM_ACTOR, now = new Date()) {
  await countPendingBudgetUsage(tx);
  return recordCrossings(tx, tenantId, thresholdsReached(await budgetFacts(tx, tenantId, taskType, now), now), actor, now);
}

/**
 * The thresholds one more assigned task makes the budgets reach, from the usage the evaluation saw
 * (no query when the tenant has no budgets, the common case on the submit path).
 */
export function crossingsAfterOneTask(budgets: BudgetFacts[], now: Date): Crossing[] {
  const key = (c: Crossing) => `${c.budgetId}/${c.metric}/${c.threshold}`;
  const before = new Set(thresholdsReached(budgets, now).map(key));
  return thresholdsReached(
    budgets.map((b) => ({ ...b, tasksToday: b.tasksToday + 1 })),
    now,
  ).filter((c) => !before.has(key(c)));
}
