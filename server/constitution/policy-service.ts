// A tenant's policy versions: save (validated, content-hashed, audited), list, diff, and activate
// as a separate audited step that re-evaluates the tasks waiting for a waiver.
import type { Db, Tx } from "@/server/db/client";
import { inTransaction } from "@/server/db/transaction";
import { recordAudit, type AuditActor } from "@/server/audit/service";
import { Conflict, InvalidInput, NotFound } from "@/server/errors";
import { DEFAULT_POLICY_YAML } from "./policy-schema";
import { validatePolicy } from "./policy";
import { contentHash, formatIssues, lineDiff } from "./versions";
import { reevaluateAwaitingTasks } from "./reevaluation";

export interface ConstitutionCaller {
  actor: AuditActor;
  userId: string | null;
  requestId: string | null;
}

export async function savePolicyVersion(db: Db, caller: ConstitutionCaller, tenantId: string, content: string, now = new Date()) {
  const validation = validatePolicy(content);
  if (!validation.valid) throw new InvalidInput("The policy is invalid", { content: formatIssues(validation.errors) });
  const hash = contentHash(content);
  return inTransaction(db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`policy:${tenantId}`}, 0))`;
    const latest = await tx.policyVersion.findFirst({ where: { tenantId }, orderBy: { version: "desc" }, select: { version: true, content: true } });
    if (latest?.content === content) throw new Conflict(`Version ${latest.version} has this exact content already`, { content: ["Unchanged from the latest version"] });
    const version = await tx.policyVersion.create({
      data: { tenantId, version: (latest?.version ?? 0) + 1, content, contentHash: hash, createdById: caller.userId, createdByLabel: caller.actor.label, createdAt: now },
    });
    await recordAudit(tx, {
      tenantId,
      actor: caller.actor,
      action: "policy.version_saved",
      target: { type: "policy_version", id: version.id },
      summary: { version: version.version, contentHash: hash, warnings: validation.warnings.length },
      requestId: caller.requestId,
      now,
    });
    return { ...version, warnings: validation.warnings };
  });
}

export async function listPolicyVersions(db: Db, tenantId: string) {
  const versions = await db.policyVersion.findMany({
    where: { tenantId },
    orderBy: { version: "desc" },
    select: { id: true, version: true, contentHash: true, createdByLabel: true, createdAt: true, activatedAt: true },
  });
  const active = versions.filter((v) => v.activatedAt).sort((a, b) => b.activatedAt!.getTime() - a.activatedAt!.getTime())[0];
  return { activeVersionId: active?.id ?? null, versions, defaultContent: DEFAULT_POLICY_YAML };
}

export async function getPolicyVersion(db: Db, tenantId: string, id: string) {
  const v = await db.policyVersion.findFirst({ where: { tenantId, id } });
  if (!v) throw new NotFound("Policy version not found");
  const validation = validatePolicy(v.content);
  return { ...v, warnings: validation.warnings };
}

/** Diff between two versions; "default" stands for the built-in default policy. */
export async function diffPolicyVersions(db: Db, tenantId: string, fromId: string, toId: string) {
  const contentOf = async (id: string) => (id === "default" ? { content: DEFAULT_POLICY_YAML, label: "built-in default" } : await getPolicyVersion(db, tenantId, id).then((v) => ({ content: v.content, label: `v${v.version}` })));
  const [from, to] = await Promise.all([contentOf(fromId), contentOf(toId)]);
  return { from: from.label, to: to.label, ...lineDiff(from.content, to.content) };
}

export async function activatePolicyVersion(db: Db, caller: ConstitutionCaller, tenantId: string, id: string, now = new Date()) {
  return inTransaction(db, async (tx: Tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`policy:${tenantId}`}, 0))`;
    const v = await tx.policyVersion.findFirst({ where: { tenantId, id } });
    if (!v) throw new NotFound("Policy version not found");
    const current = await tx.policyVersion.findFirst({ where: { tenantId, activatedAt: { not: null } }, orderBy: { activatedAt: "desc" }, select: { id: true, version: true } });
    if (current?.id === id) throw new Conflict(`Version ${v.version} is active already`);
    const activated = await tx.policyVersion.update({ where: { id }, data: { activatedAt: now, activatedById: caller.userId } });
    await recordAudit(tx, {
      tenantId,
      actor: caller.actor,
      action: "policy.activated",
      target: { type: "policy_version", id },
      summary: { version: v.version, previousVersion: current?.version ?? "default", contentHash: v.contentHash },
      requestId: caller.requestId,
      now,
    });
    const reevaluated = await reevaluateAwaitingTasks(tx, tenantId, { specId: null }, "policy_activated", { actor: caller.actor, requestId: caller.requestId, now });
    return { id: activated.id, version: activated.version, activatedAt: activated.activatedAt, reevaluated };
  });
}
