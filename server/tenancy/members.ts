// Tenant membership: invite by email, change role, remove. Owners only (see permissions.ts).
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/server/db/client";
import { withAudit, type AuditActor, type Tx } from "@/server/audit/service";
import { Conflict, InvalidInput, NotFound } from "@/server/errors";
import type { Role } from "@/server/auth/permissions";
import { hashPassword } from "@/server/auth/passwords";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60_000;

export interface MemberCaller {
  actor: AuditActor;
  userId: string | null;
  requestId: string | null;
}

export async function listMembers(db: Db, tenantId: string, now = new Date()) {
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { tenantId },
      include: { user: { select: { email: true, name: true } } },
      orderBy: { createdAt: "asc" },
    }),
    db.invitation.findMany({
      where: { tenantId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  return {
    members: members.map((m) => ({
      id: m.id,
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      since: m.createdAt,
    })),
    invitations: invitations.map((i) => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt })),
  };
}

const hashInvitation = (token: string) => createHash("sha256").update(token).digest("hex");

export type InviteResult =
  | { kind: "added"; membershipId: string; inviteToken: null }
  | { kind: "invited"; invitationId: string; inviteToken: string };

/**
 * Adds an existing user at once; for an unknown email, creates an invitation whose one-time link
 * (returned once, to be passed on by the inviter) lets the invitee choose a name and password.
 */
export async function inviteMember(
  db: Db,
  caller: MemberCaller,
  input: { tenantId: string; email: string; role: Role },
  now = new Date(),
) {
  const email = input.email.trim().toLowerCase();
  return withAudit<InviteResult>(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { email } });
    if (user) {
      const existing = await tx.membership.findUnique({
        where: { userId_tenantId: { userId: user.id, tenantId: input.tenantId } },
      });
      if (existing) throw new Conflict(`${email} is already a member`, { email: ["Already a member of this tenant"] });
      const membership = await tx.membership.create({
        data: { userId: user.id, tenantId: input.tenantId, role: input.role },
      });
      return {
        result: { kind: "added" as const, membershipId: membership.id, inviteToken: null },
        audit: {
          tenantId: input.tenantId,
          actor: caller.actor,
          action: "member.added",
          target: { type: "membership", id: membership.id },
          summary: { after: { email, role: input.role } },
          requestId: caller.requestId,
          now,
        },
      };
    }
    const token = randomBytes(24).toString("base64url");
    const invitation = await tx.invitation.create({
      data: {
        tenantId: input.tenantId,
        email,
        role: input.role,
        tokenHash: hashInvitation(token),
        invitedById: caller.userId ?? caller.actor.id ?? "system",
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      },
    });
    return {
      result: { kind: "invited" as const, invitationId: invitation.id, inviteToken: token },
      audit: {
        tenantId: input.tenantId,
        actor: caller.actor,
        action: "member.invited",
        target: { type: "invitation", id: invitation.id },
        summary: { after: { email, role: input.role, expiresAt: invitation.expiresAt } },
        requestId: caller.requestId,
        now,
      },
    };
  });
}

export async function describeInvitation(db: Db, token: string, now = new Date()) {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashInvitation(token) },
    include: { tenant: { select: { name: true } } },
  });
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now) return null;
  return { email: inv.email, role: inv.role, tenantName: inv.tenant.name };
}

export async function acceptInvitation(
  db: Db,
  input: { token: string; name: string; password: string; requestId: string | null },
  now = new Date(),
) {
  const passwordHash = await hashPassword(input.password);
  return withAudit(db, async (tx) => {
    const inv = await tx.invitation.findUnique({ where: { tokenHash: hashInvitation(input.token) } });
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now) {
      throw new NotFound("This invitation is not valid any more");
    }
    if (await tx.user.findUnique({ where: { email: inv.email } })) {
      throw new Conflict("An account with this email exists already; ask to be added instead");
    }
    const user = await tx.user.create({ data: { email: inv.email, name: input.name, passwordHash } });
    await tx.membership.create({ data: { userId: user.id, tenantId: inv.tenantId, role: inv.role } });
    await tx.invitation.update({ where: { id: inv.id }, data: { acceptedAt: now } });
    return {
      result: { email: user.email },
      audit: {
        tenantId: inv.tenantId,
        actor: { type: "user" as const, id: user.id, label: user.email },
        action: "member.joined",
        target: { type: "user", id: user.id },
        summary: { after: { email: user.email, role: inv.role } },
        requestId: input.requestId,
        now,
      },
    };
  });
}

export async function revokeInvitation(db: Db, caller: MemberCaller, tenantId: string, invitationId: string, now = new Date()) {
  return withAudit(db, async (tx) => {
    const inv = await tx.invitation.findFirst({ where: { id: invitationId, tenantId, acceptedAt: null, revokedAt: null } });
    if (!inv) throw new NotFound("Invitation not found");
    await tx.invitation.update({ where: { id: inv.id }, data: { revokedAt: now } });
    return {
      result: { id: inv.id },
      audit: {
        tenantId,
        actor: caller.actor,
        action: "member.invitation_revoked",
        target: { type: "invitation", id: inv.id },
        summary: { before: { email: inv.email, role: inv.role } },
        requestId: caller.requestId,
        now,
      },
    };
  });
}

export async function changeMemberRole(
  db: Db,
  caller: MemberCaller,
  input: { tenantId: string; membershipId: string; role: Role },
  now = new Date(),
) {
  return withAudit(db, async (tx) => {
    const m = await lockMembership(tx, input.tenantId, input.membershipId);
    if (m.role === "owner" && input.role !== "owner") await assertAnotherOwner(tx, input.tenantId, m.id);
    const updated = await tx.membership.update({ where: { id: m.id }, data: { role: input.role } });
    return {
      result: { id: updated.id, role: updated.role },
      audit: {
        tenantId: input.tenantId,
        actor: caller.actor,
        action: "member.role_changed",
        target: { type: "membership", id: m.id },
        summary: { before: { role: m.role }, after: { role: updated.role }, userId: m.userId },
        requestId: caller.requestId,
        now,
      },
    };
  });
}

export async function removeMember(db: Db, caller: MemberCaller, tenantId: string, membershipId: string, now = new Date()) {
  return withAudit(db, async (tx) => {
    const m = await lockMembership(tx, tenantId, membershipId);
    if (m.role === "owner") await assertAnotherOwner(tx, tenantId, m.id);
    await tx.membership.delete({ where: { id: m.id } });
    return {
      result: { id: m.id },
      audit: {
        tenantId,
        actor: caller.actor,
        action: "member.removed",
        target: { type: "membership", id: m.id },
        summary: { before: { userId: m.userId, role: m.role } },
        requestId: caller.requestId,
        now,
      },
    };
  });
}



async function lockMembership(tx: Tx, tenantId: string, membershipId: string) {
  // Owners of a tenant are locked together, so two concurrent demotions cannot both pass the
  // "another owner remains" check.
  await tx.$executeRaw`SELECT id FROM memberships WHERE "tenantId" = ${tenantId} AND role = 'owner' FOR UPDATE`;
  const m = await tx.membership.findFirst({ where: { id: membershipId, tenantId } });
  if (!m) throw new NotFound("Member not found");
  return m;
}

async function assertAnotherOwner(tx: Tx, tenantId: string, exceptMembershipId: string) {
  const owners = await tx.membership.count({ where: { tenantId, role: "owner", id: { not: exceptMembershipId } } });
  if (owners === 0) throw new InvalidInput("A tenant must keep at least one owner", { role: ["The last owner cannot be demoted or removed"] });
}
