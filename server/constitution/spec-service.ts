// Working specs: every version kept (content-hashed, audited), the current one is the latest.
// Only specs that validate are stored; the validation issues come back with their lines otherwise.
import type { Db } from "@/server/db/client";
import { inTransaction } from "@/server/db/transaction";
import { recordAudit } from "@/server/audit/service";
import { Conflict, InvalidInput, NotFound } from "@/server/errors";
import { validateSpec } from "./spec-validator";
import { specTier } from "./spec-rules";
import { contentHash, formatIssues, lineDiff } from "./versions";
import type { ConstitutionCaller } from "./policy-service";

export async function saveSpecVersion(db: Db, caller: ConstitutionCaller, tenantId: string, content: string, now = new Date()) {
  const v = validateSpec(content);
  if (!v.parsed || !v.valid) throw new InvalidInput(`The spec is invalid (${v.errors.length} error(s))`, { content: formatIssues(v.errors) });
  const specId = String(v.spec.id);
  const hash = contentHash(content);
  return inTransaction(db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`spec:${tenantId}:${specId}`}, 0))`;
    const latest = await tx.specVersion.findFirst({ where: { tenantId, specId }, orderBy: { version: "desc" }, select: { version: true, content: true } });
    if (latest?.content === content) throw new Conflict(`${specId} v${latest.version} has this exact content already`, { content: ["Unchanged from the latest version"] });
    const saved = await tx.specVersion.create({
      data: {
        tenantId,
        specId,
        version: (latest?.version ?? 0) + 1,
        title: String(v.spec.title ?? specId),
        riskTier: specTier(v.spec) ?? 3,
        format: v.format,
        content,
        contentHash: hash,
        warningCount: v.warnings.length,
        createdById: caller.userId,
        createdByLabel: caller.actor.label,
        createdAt: now,
      },
    });
    await recordAudit(tx, {
      tenantId,
      actor: caller.actor,
      action: "spec.version_saved",
      target: { type: "spec", id: specId },
      summary: { version: saved.version, format: v.format, riskTier: saved.riskTier, contentHash: hash },
      requestId: caller.requestId,
      now,
    });
    return { id: saved.id, specId, version: saved.version, format: v.format, warnings: v.warnings };
  });
}

/** The current version of every spec. */
export async function listSpecs(db: Db, tenantId: string) {
  const rows = await db.specVersion.findMany({
    where: { tenantId },
    distinct: ["specId"],
    orderBy: [{ specId: "asc" }, { version: "desc" }],
    select: { id: true, specId: true, version: true, title: true, riskTier: true, format: true, warningCount: true, createdAt: true, createdByLabel: true },
  });
  return rows;
}

export async function getSpec(db: Db, tenantId: string, specId: string) {
  const versions = await db.specVersion.findMany({ where: { tenantId, specId }, orderBy: { version: "desc" } });
  if (versions.length === 0) throw new NotFound(`Spec ${specId} not found`);
  const current = versions[0]!;
  const v = validateSpec(current.content);
  return {
    specId,
    current: { ...current, warnings: v.warnings, format: v.format },
    versions: versions.map(({ content: _content, ...rest }) => rest),
  };
}

export async function diffSpecVersions(db: Db, tenantId: string, specId: string, fromVersion: number, toVersion: number) {
  const rows = await db.specVersion.findMany({ where: { tenantId, specId, version: { in: [fromVersion, toVersion] } }, select: { version: true, content: true } });
  const from = rows.find((r) => r.version === fromVersion);
  const to = rows.find((r) => r.version === toVersion);
  if (!from || !to) throw new NotFound("Spec version not found");
  return { from: `v${fromVersion}`, to: `v${toVersion}`, ...lineDiff(from.content, to.content) };
}
