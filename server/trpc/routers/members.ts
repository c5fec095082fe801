import { permittedProcedure, publicProcedure, router } from "../init";
import {
  acceptInvitation,
  changeMemberRole,
  describeInvitation,
  inviteMember,
  listMembers,
  removeMember,
  revokeInvitation,
} from "@/server/tenancy/members";
import {
  acceptInvitationSchema,
  changeRoleSchema,
  invitationIdSchema,
  inviteMemberSchema,
  membershipIdSchema,
} from "@/server/tenancy/schemas";
import { z } from "zod";
import { serviceCaller as caller } from "../caller";

export const membersRouter = router({
  list: permittedProcedure("members:read").query(({ ctx }) => listMembers(ctx.db, ctx.tenant.id)),
  invite: permittedProcedure("members:write")
    .input(inviteMemberSchema)
    .mutation(({ ctx, input }) => inviteMember(ctx.db, caller(ctx), { tenantId: ctx.tenant.id, ...input })),
  changeRole: permittedProcedure("members:write")
    .input(changeRoleSchema)
    .mutation(({ ctx, input }) => changeMemberRole(ctx.db, caller(ctx), { tenantId: ctx.tenant.id, ...input })),
  remove: permittedProcedure("members:write")
    .input(membershipIdSchema)
    .mutation(({ ctx, input }) => removeMember(ctx.db, caller(ctx), ctx.tenant.id, input.membershipId)),
  revokeInvitation: permittedProcedure("members:write")
    .input(invitationIdSchema)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, caller(ctx), ctx.tenant.id, input.invitationId)),
  /** Public: the invitation link itself is the credential. */
  describeInvitation: publicProcedure
    .meta({ access: "public" })
    .input(z.object({ token: z.string().min(10).max(100) }))
    .query(({ ctx, input }) => describeInvitation(ctx.db, input.token)),
  acceptInvitation: publicProcedure
    .meta({ access: "public" })
    .input(acceptInvitationSchema)
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, { ...input, requestId: ctx.requestId })),
});
