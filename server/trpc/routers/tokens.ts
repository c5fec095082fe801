import { permittedProcedure, router } from "../init";
import { createApiToken, listApiTokens, revokeApiToken } from "@/server/tokens/service";
import { createTokenSchema, tokenIdSchema } from "@/server/tokens/schemas";
import { serviceCaller } from "../caller";
export const tokensRouter = router({
  list: permittedProcedure("tokens:read").query(({ ctx }) => listApiTokens(ctx.db, ctx.tenant.id)),
  create: permittedProcedure("tokens:write")
    .input(createTokenSchema)
    .mutation(({ ctx, input }) =>
      createApiToken(ctx.db, serviceCaller(ctx), {
        tenantId: ctx.tenant.id,
        name: input.name,
        role: input.role,
        scopes: input.scopes,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      }),
    ),
  revoke: permittedProcedure("tokens:write")
    .input(tokenIdSchema)
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.tokenId)),
});
