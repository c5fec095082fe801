// Waivers: request, approve/reject (distinct approvers, never one's own request), revoke, and the
// queue and history. Activation re-evaluates the tasks waiting for a waiver in the same transaction.
import type { Db, RootDb, Tx } from "@/server/db/client";
import { TRANSACTION_OPTIONS, inTransaction } from "@/server/db/transaction";
import { SYSTEM_ACTOR, recordAudit } from "@/server/audit/service";
import { Conflict, Forbidden, InvalidInput, NotFound } from "@/server/errors";
import type { Policy } from "./policy";
import type { GateName } from "./policy-schema";
import { activePolicy, currentSpec } from "./inputs";
import { expiresSoon, requiredApprovals, waiverState, type WaiverState } from "./waiver-rules";
import { reevaluateAwaitingTasks } from "./reevaluation";
import type { ConstitutionCaller } from "./policy-service";
import type { DecideWaiverInput, ListWaiversInput, RequestWaiverInput } from "./schemas";
import { specTier } from "./spec-rules";

const DAY = 86_400_000;

export async function requestWaiver(db: Db, caller: ConstitutionCaller, tenantId: string, input: RequestWaiverInput, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const { policy } = await activePolicy(tx, tenantId);
    const latest = new Date(now.getTime() + policy.waivers.maxDurationDays * DAY);
    const requested = input.expiresAt ?? new Date(now.getTime() + policy.waivers.defaultExpiryDays * DAY);
    if (requested.getTime() <= now.getTime()) throw new InvalidInput("The expiry is in the past", { expiresAt: ["Choose a time in the future"] });
    const expiresAt = requested.getTime() > latest.getTime() ? latest : requested;
    let tier = null;
    if (input.specId) {
      const spec = await currentSpec(tx, tenantId, input.specId);
      if (!spec) throw new InvalidInput(`Spec ${input.specId} is not on file`, { specId: ["No spec with this id"] });
      tier = spec.validation.parsed ? specTier(spec.validation.spec) : null;
    }
    if (input.taskId && !(await tx.task.findFirst({ where: { id: input.taskId, tenantId }, select: { id: true } }))) {
      throw new InvalidInput("Task not found", { taskId: ["No such task in this tenant"] });
    }
    if ((input.deltaFiles || input.deltaLoc) && !input.gates.includes("budget_limit")) {
      throw new InvalidInput("A budget delta needs the budget_limit gate", { gates: ["Include budget_limit to raise the budget"] });
    }
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`waiver-code:${tenantId}`}, 0))`;
    const count = await tx.waiver.count({ where: { tenantId } });
    const code = `WV-${String(count + 1).padStart(4, "0")}`;
    const required = requiredApprovals({ deltaFiles: input.deltaFiles ?? null, deltaLoc: input.deltaLoc ?? null }, tier, policy);
    const waiver = await tx.waiver.create({
      data: {
        tenantId,
        code,
        title: input.title,
        gates: input.gates,
        deltaFiles: input.deltaFiles ?? null,
        deltaLoc: input.deltaLoc ?? null,
        specId: input.specId ?? null,
        taskType: input.taskType ?? null,
        reasonCode: input.reasonCode,
        description: input.description,
        mitigation: input.mitigation,
        requiredApprovals: required,
        requestedById: caller.userId,
        requestedByLabel: caller.actor.label,
        requestedAt: now,
        expiresAt,
        taskId: input.taskId ?? null,
      },
    });
    await recordAudit(tx, {
      tenantId,
      actor: caller.actor,
      action: "waiver.requested",
      target: { type: "waiver", id: waiver.id },
      summary: { code, gates: input.gates, deltaFiles: input.deltaFiles ?? null, deltaLoc: input.deltaLoc ?? null, specId: input.specId ?? "project", taskType: input.taskType ?? "any", expiresAt: expiresAt.toISOString(), requiredApprovals: required },
      requestId: caller.requestId,
      now,
    });
    return { id: waiver.id, code, requiredApprovals: required, expiresAt, expiryCapped: expiresAt.getTime() !== requested.getTime() };
  });
}

export async function decideWaiver(db: Db, caller: ConstitutionCaller, tenantId: string, input: DecideWaiverInput, now = new Date()) {
  if (!caller.userId) throw new Forbidden("Waivers are decided by a person");
  const approverId = caller.userId;
  return inTransaction(db, async (tx: Tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM waivers WHERE id = ${input.waiverId} AND "tenantId" = ${tenantId} FOR UPDATE`;
    if (rows.length === 0) throw new NotFound("Waiver not found");
    const waiver = await tx.waiver.findUniqueOrThrow({ where: { id: input.waiverId }, include: { approvals: true } });
    const { policy } = await activePolicy(tx, tenantId);
    const state = waiverState(waiver, now, policy);
    // An active waiver can take further approvals (a waiver approved once applies to tier-1 tasks
    // only with the policy's number of approvers), but no longer a rejection.
    const addingToActive = state === "active" && input.decision === "approve";
    if (state !== "proposed" && !addingToActive) throw new Conflict(`${waiver.code} is ${state}; only a proposed waiver can be ${input.decision === "approve" ? "approved" : "rejected"}`);
    if (waiver.requestedById === approverId) throw new Forbidden("Nobody approves their own waiver request");
    if (waiver.approvals.some((a) => a.userId === approverId)) throw new Conflict(`You have decided ${waiver.code} already`);
    await tx.waiverApproval.create({ data: { tenantId, waiverId: waiver.id, userId: approverId, userLabel: caller.actor.label, decision: input.decision, comment: input.comment, createdAt: now } });
    const approvals = waiver.approvals.filter((a) => a.decision === "approve").length + (input.decision === "approve" ? 1 : 0);
    const audit = (action: string, summary: Record<string, unknown>) =>
      recordAudit(tx, { tenantId, actor: caller.actor, action, target: { type: "waiver", id: waiver.id }, summary: { code: waiver.code, ...summary }, requestId: caller.requestId, now });

    if (input.decision === "reject") {
      await tx.waiver.update({ where: { id: waiver.id }, data: { status: "rejected", decidedAt: now } });
      await audit("waiver.rejected", { comment: input.comment });
      return { code: waiver.code, status: "rejected" as const, approvals, requiredApprovals: waiver.requiredApprovals, reevaluated: null };
    }
    await audit("waiver.approved", { comment: input.comment, approvals, requiredApprovals: waiver.requiredApprovals });
    const ctx = { actor: caller.actor, requestId: caller.requestId, now };
    if (addingToActive) {
      const reevaluated = await reevaluateAwaitingTasks(tx, tenantId, { specId: waiver.specId, taskType: waiver.taskType }, "waiver_activated", ctx);
      return { code: waiver.code, status: "active" as const, approvals, requiredApprovals: waiver.requiredApprovals, reevaluated };
    }
    if (approvals < waiver.requiredApprovals) return { code: waiver.code, status: "proposed" as const, approvals, requiredApprovals: waiver.requiredApprovals, reevaluated: null };

    await ensureGateCapacity(tx, tenantId, waiver.gates, policy, now);
    await tx.waiver.update({ where: { id: waiver.id }, data: { status: "active", decidedAt: now } });
    await audit("waiver.activated", { approvals, expiresAt: waiver.expiresAt.toISOString() });
    const reevaluated = await reevaluateAwaitingTasks(tx, tenantId, { specId: waiver.specId, taskType: waiver.taskType }, "waiver_activated", ctx);
    return { code: waiver.code, status: "active" as const, approvals, requiredApprovals: waiver.requiredApprovals, reevaluated };
  });
}

/** The policy's cap on active waivers per gate (0 = unlimited). */
async function ensureGateCapacity(tx: Tx, tenantId: string, gates: string[], policy: Policy, now: Date) {
  const cap = policy.waivers.maxActivePerGate;
  if (cap === 0) return;
  for (const gate of gates) {
    const active = await tx.waiver.count({ where: { tenantId, status: "active", expiresAt: { gt: now }, gates: { has: gate } } });
    if (active >= cap) throw new Conflict(`The policy allows at most ${cap} active waiver(s) for ${gate}`);
  }
}

export async function revokeWaiver(db: Db, caller: ConstitutionCaller, tenantId: string, waiverId: string, reason: string, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const updated = await tx.waiver.updateMany({ where: { id: waiverId, tenantId, status: "active" }, data: { status: "revoked", revokedAt: now, revokeReason: reason } });
    if (updated.count === 0) {
      const w = await tx.waiver.findFirst({ where: { id: waiverId, tenantId }, select: { status: true } });
      if (!w) throw new NotFound("Waiver not found");
      throw new Conflict(`Only an active waiver can be revoked; this one is ${w.status}`);
    }
    const w = await tx.waiver.findUniqueOrThrow({ where: { id: waiverId }, select: { code: true } });
    await recordAudit(tx, { tenantId, actor: caller.actor, action: "waiver.revoked", target: { type: "waiver", id: waiverId }, summary: { code: w.code, reason }, requestId: caller.requestId, now });
    return { code: w.code, status: "revoked" as const };
  });
}

function viewFilter(view: ListWaiversInput["view"], policy: Policy, now: Date) {
  const lapseBefore = new Date(now.getTime() - policy.waivers.decisionTimeoutDays * DAY);
  switch (view) {
    case "pending":
      return { status: "proposed" as const, requestedAt: { gt: lapseBefore }, expiresAt: { gt: now } };
    case "lapsed":
      return { status: "proposed" as const, OR: [{ requestedAt: { lte: lapseBefore } }, { expiresAt: { lte: now } }] };
    case "active":
      return { status: "active" as const, expiresAt: { gt: now } };
    case "expired":
      return { status: "active" as const, expiresAt: { lte: now } };
    case "revoked":
    case "rejected":
      return { status: view };
    case "all":
      return {};
  }
}

function waiverView(w: { status: "proposed" | "active" | "rejected" | "revoked"; requestedAt: Date; expiresAt: Date; _count: { approvals: number } }, policy: Policy, now: Date) {
  const state: WaiverState = waiverState(w, now, policy);
  return { state, approvals: w._count.approvals, expiresSoon: expiresSoon(w, now, policy), lapsesAt: new Date(w.requestedAt.getTime() + policy.waivers.decisionTimeoutDays * DAY) };
}

export async function listWaivers(db: Db, tenantId: string, q: ListWaiversInput, now = new Date()) {
  const { policy } = await activePolicy(db, tenantId);
  const rows = await db.waiver.findMany({
    where: { tenantId, ...viewFilter(q.view, policy, now), ...(q.gate ? { gates: { has: q.gate } } : {}), ...(q.specId ? { specId: q.specId } : {}) },
    orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
    include: { _count: { select: { approvals: { where: { decision: "approve" } } } } },
  });
  const page = rows.slice(0, q.limit);
  return { items: page.map((w) => ({ ...w, ...waiverView(w, policy, now) })), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

export async function pendingWaiverCount(db: Db, tenantId: string, now = new Date()) {
  const { policy } = await activePolicy(db, tenantId);
  const [pending, expiringSoon] = await Promise.all([
    db.waiver.count({ where: { tenantId, ...viewFilter("pending", policy, now) } }),
    db.waiver.count({ where: { tenantId, status: "active", expiresAt: { gt: now, lte: new Date(now.getTime() + policy.waivers.expiryWarningHours * 3_600_000) } } }),
  ]);
  return { pending, expiringSoon };
}

export async function getWaiver(db: Db, tenantId: string, waiverId: string, now = new Date()) {
  const w = await db.waiver.findFirst({
    where: { tenantId, id: waiverId },
    include: { approvals: { orderBy: { createdAt: "asc" } }, _count: { select: { approvals: { where: { decision: "approve" } } } } },
  });
  if (!w) throw new NotFound("Waiver not found");
  const { policy } = await activePolicy(db, tenantId);
  // Tasks in the waiver's scope that wait for a waiver: those its activation would re-evaluate.
  const waiting = await db.task.findMany({
    where: { tenantId, status: "awaiting_waiver", ...(w.specId ? { specId: w.specId } : {}), ...(w.taskType ? { type: w.taskType } : {}) },
    orderBy: { submittedAt: "asc" },
    take: 50,
    select: { id: true, type: true, specId: true, statusReason: true, submittedAt: true, constitutionalDecisionId: true },
  });
  const trigger = w.taskId
    ? await db.constitutionalDecision.findFirst({ where: { tenantId, taskId: w.taskId }, orderBy: { createdAt: "asc" }, select: { id: true, verdict: true, rules: true, createdAt: true } })
    : null;
  const { approvals: approvalsList, ...rest } = w;
  return {
    ...rest,
    approvalsList,
    ...waiverView(w, policy, now),
    /** Approvals the waiver needs to apply to tier-1 tasks (and to raise a budget). */
    approvalsForTier1: policy.waivers.minApproversForBudgetRaise,
    gates: w.gates as GateName[],
    waitingTasks: waiting,
    triggeringDecision: trigger,
  };
}

/**
 * Records, once each, the waivers that have expired or lapsed since the last pass, with an audit
 * entry per transition (the state itself is derived from the time everywhere; this keeps the audit
 * chain complete). Runs from a timer on every instance; rows are claimed with SKIP LOCKED.
 */
export async function recordEndedWaivers(db: RootDb, now = new Date()) {
  const tenants = await db.$queryRaw<{ tenantId: string }[]>`
    SELECT DISTINCT "tenantId" FROM waivers
    WHERE "endRecordedAt" IS NULL AND status IN ('active', 'proposed') AND ("expiresAt" <= ${now} OR status = 'proposed')`;
  let recorded = 0;
  for (const { tenantId } of tenants) {
    recorded += await db.$transaction(async (tx) => {
      const { policy } = await activePolicy(tx, tenantId);
      const lapseBefore = new Date(now.getTime() - policy.waivers.decisionTimeoutDays * DAY);
      const ended = await tx.$queryRaw<{ id: string; code: string; status: string; expiresAt: Date }[]>`
        UPDATE waivers SET "endRecordedAt" = ${now}
        WHERE id IN (
          SELECT id FROM waivers
          WHERE "tenantId" = ${tenantId} AND "endRecordedAt" IS NULL
            AND ((status = 'active' AND "expiresAt" <= ${now}) OR (status = 'proposed' AND ("expiresAt" <= ${now} OR "requestedAt" <= ${lapseBefore})))
          FOR UPDATE SKIP LOCKED)
        RETURNING id, code, status::text AS status, "expiresAt"`;
      for (const w of ended) {
        await recordAudit(tx, {
          tenantId,
          actor: SYSTEM_ACTOR,
          action: w.status === "active" ? "waiver.expired" : "waiver.lapsed",
          target: { type: "waiver", id: w.id },
          summary: { code: w.code, expiresAt: w.expiresAt.toISOString() },
          now,
        });
      }
      return ended.length;
    }, TRANSACTION_OPTIONS);
  }
  return recorded;
}
