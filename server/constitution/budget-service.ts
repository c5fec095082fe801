// Tenant budgets: set (audited), read with usage, the period's burn-down, and the threshold events.
import type { Db } from "@/server/db/client";
import { inTransaction } from "@/server/db/transaction";
import { recordAudit } from "@/server/audit/service";
import { budgetFacts, utcDay, utcMonthStart } from "./inputs";
import { recordBudgetCrossings } from "./budget-events";
import { reevaluateAwaitingTasks } from "./reevaluation";
import type { ConstitutionCaller } from "./policy-service";
import type { SetBudgetInput } from "./schemas";

export async function setBudget(db: Db, caller: ConstitutionCaller, tenantId: string, input: SetBudgetInput, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const before = await tx.tenantBudget.findUnique({ where: { tenantId_taskType: { tenantId, taskType: input.taskType } } });
    const cleared = input.tasksPerDay === null && input.costUnitsPerMonth === null;
    if (cleared) await tx.tenantBudget.deleteMany({ where: { tenantId, taskType: input.taskType } });
    else {
      await tx.tenantBudget.upsert({
        where: { tenantId_taskType: { tenantId, taskType: input.taskType } },
        create: { tenantId, taskType: input.taskType, tasksPerDay: input.tasksPerDay, costUnitsPerMonth: input.costUnitsPerMonth, updatedAt: now },
        update: { tasksPerDay: input.tasksPerDay, costUnitsPerMonth: input.costUnitsPerMonth, updatedAt: now },
      });
    }
    await recordAudit(tx, {
      tenantId,
      actor: caller.actor,
      action: cleared ? "budget.removed" : "budget.set",
      target: { type: "budget", id: input.taskType },
      summary: { before: before ? { tasksPerDay: before.tasksPerDay, costUnitsPerMonth: before.costUnitsPerMonth } : null, after: cleared ? null : { tasksPerDay: input.tasksPerDay, costUnitsPerMonth: input.costUnitsPerMonth } },
      requestId: caller.requestId,
      now,
    });
    // A budget set below what is already used reaches its thresholds at once.
    if (!cleared) await recordBudgetCrossings(tx, tenantId, input.taskType === "*" ? null : input.taskType, caller.actor, now);
    // Tasks that waited only on a budget may fit the new one.
    const reevaluated = await reevaluateAwaitingTasks(tx, tenantId, { specId: null, budgetWaitsDecidedBefore: new Date(now.getTime() + 1) }, "budget_changed", {
      actor: caller.actor,
      requestId: caller.requestId,
      now,
    });
    return { taskType: input.taskType, removed: cleared, reevaluated: reevaluated.evaluated, assigned: reevaluated.assigned };
  });
}

/** Budgets with usage now, the month's daily burn-down per budget, and recent threshold events. */
export async function budgetOverview(db: Db, tenantId: string, now = new Date()) {
  const monthStart = utcMonthStart(now);
  const today = utcDay(now);
  const [facts, daily, events] = await Promise.all([
    budgetFacts(db, tenantId, null, now),
    db.$queryRaw<{ taskType: string; day: string; tasks: number; cost: number }[]>`
      SELECT u."taskType", to_char(u.day, 'YYYY-MM-DD') AS day, u.tasks, u.cost
      FROM budget_usage u JOIN tenant_budgets b ON b."tenantId" = u."tenantId" AND b."taskType" = u."taskType"
      WHERE u."tenantId" = ${tenantId} AND u.day >= ${monthStart}::date AND u.day <= ${today}::date
      ORDER BY u.day`,
    db.budgetEvent.findMany({ where: { tenantId }, orderBy: { createdAt: "desc" }, take: 50 }),
  ]);
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  const budgets = facts.map((b) => {
    const taskType = b.taskType ?? "*";
    const rows = daily.filter((d) => d.taskType === taskType);
    // Burn-down: cost units left in the month after each day, against an even-spend line.
    let spent = 0;
    const burnDown = Array.from({ length: daysInMonth }, (_, i) => {
      const day = `${monthStart.slice(0, 8)}${String(i + 1).padStart(2, "0")}`;
      const row = rows.find((r) => r.day === day);
      if (day <= today) spent += row?.cost ?? 0;
      return {
        day,
        tasks: day <= today ? (row?.tasks ?? 0) : null,
        remaining: b.costUnitsPerMonth === null || day > today ? null : Math.max(0, b.costUnitsPerMonth - spent),
        ideal: b.costUnitsPerMonth === null ? null : b.costUnitsPerMonth * (1 - (i + 1) / daysInMonth),
      };
    });
    return {
      ...b,
      taskType,
      tasksUsedPct: b.tasksPerDay ? (100 * b.tasksToday) / b.tasksPerDay : null,
      costUsedPct: b.costUnitsPerMonth ? (100 * b.costThisMonth) / b.costUnitsPerMonth : null,
      burnDown,
    };
  });
  return { today, monthStart, budgets, events };
}
