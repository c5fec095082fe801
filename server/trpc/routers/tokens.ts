import { TRPCError } from "@trpc/server";
import { authedProcedure, permittedProcedure, router } from "../init";
import { issueJwt } from "@/server/auth/jwt";
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
  /** An API token gets a short-lived signed JWT (ES256, 15 min) carrying its tenant, role and scopes. */
  exchange: authedProcedure.meta({ access: "authenticated" }).mutation(({ ctx }) => {
    if (ctx.principal.kind !== "token" || ctx.credential !== "api_token") {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Send an API token (Authorization: Bearer arb_...) to exchange it for a JWT" });
    }
    return issueJwt(ctx.principal);
  }),
  revoke: permittedProcedure("tokens:write")
    .input(tokenIdSchema)
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.tokenId)),
});
