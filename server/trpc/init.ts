// tRPC builders: public, authed, tenant-scoped and permission-gated procedures.
import { getTRPCErrorFromUnknown, initTRPC, TRPCError } from "@trpc/server";
import { transformer } from "./transformer";
import { ZodError } from "zod";
import type { Context } from "./context";
import { resolveActiveTenant } from "@/server/tenancy/principal-loader";
import { roleAllows, scopesAllow, type Action, type Role } from "@/server/auth/permissions";
import { auditActorOf } from "@/server/auth/principal";
import { toTRPCError } from "./errors";
import { fieldErrorsFromIssues } from "@/server/validation";
import type { OperationClass } from "@/server/security/rate-limit-policy";
import { recordSecurityEvent } from "@/server/security/security-events";
import { runInTenantScope, type TenantScope } from "@/server/db/tenant-scope";
import type { Db, Tx } from "@/server/db/client";

/** Procedure metadata: the permission a procedure requires, read by the RBAC and isolation tests
 *  and the Settings → Roles page. */
export interface ProcedureMeta {
  permission?: Action;
  /** Which rate limit a call counts against; default: "query" for queries, "admin" for mutations. */
  rateClass?: OperationClass;
  /** For procedures without a permission: who may call them. */
  access?: "public" | "authenticated";
  /** "on-demand": the tenant transaction opens only if the resolver asks for it through
   *  ctx.tenantScope (for reads usually served from a cache); ctx.db is then unusable. */
  transaction?: "on-demand";
}

const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  transformer,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldErrors =
      cause instanceof ZodError
        ? fieldErrorsFromIssues(cause.issues)
        : cause && "fieldErrors" in cause && typeof cause.fieldErrors === "object"
          ? (cause.fieldErrors as Record<string, string[]>)
          : undefined;
    const hideMessage = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: hideMessage ? "Internal error" : cause instanceof ZodError ? "Invalid input" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: fieldErrors && Object.keys(fieldErrors).length > 0 ? fieldErrors : undefined,
      },
    };
  },
});


export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Times a call and logs how it ended; domain errors become tRPC errors, anything else is logged and
 * hidden behind INTERNAL_SERVER_ERROR. `call` is the rest of the call: the next middleware's outcome.
 */
async function mappedOutcome<R extends { ok: true } | { ok: false; error: TRPCError }>(
  ctx: Context,
  path: string,
  type: string,
  call: () => Promise<R>,
): Promise<R> {
  const started = performance.now();
  let result: R;
  try {
    result = await call();
  } catch (cause) {
    throw logRefusal(ctx, path, type, started, getTRPCErrorFromUnknown(cause));
  }
  if (result.ok) {
    ctx.log.info({ path, type, ms: elapsedMs(started) }, "trpc ok");
    return result;
  }
  throw logRefusal(ctx, path, type, started, result.error);
}

function logRefusal(ctx: Context, path: string, type: string, started: number, error: TRPCError): TRPCError {
  const mapped = toTRPCError(error);
  const ms = elapsedMs(started);
  if (mapped.code === "INTERNAL_SERVER_ERROR") ctx.log.error({ path, type, ms, err: error.cause ?? error }, "trpc failed");
  else ctx.log.info({ path, type, ms, code: mapped.code }, "trpc rejected");
  return mapped;
}

const elapsedMs = (started: number) => Math.round((performance.now() - started) * 10) / 10;

const errorMapping = t.middleware(({ ctx, next, path, type }) => mappedOutcome(ctx, path, type, () => next()));

export const publicProcedure = t.procedure.use(errorMapping);

/** The caller's principal and audit actor, or UNAUTHORIZED (recording an invalid token as a security event). */
async function authenticate(ctx: Context, path: string) {
  if (!ctx.principal) {
    if (ctx.invalidCredential) {
      await recordSecurityEvent(ctx.rootDb, {
        tenantId: null,
        actor: { type: "token", id: null, label: "unknown token" },
        action: "security.invalid_token",
        summary: { path, ip: ctx.ip },
        requestId: ctx.requestId,
        dedupeKey: ctx.ip ?? "no-ip",
      });
    }
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.invalidCredential ? "The API token is invalid, revoked or expired" : "Sign in or send an API token",
    });
  }
  return { principal: ctx.principal, actor: auditActorOf(ctx.principal) };
}

type Authenticated = Awaited<ReturnType<typeof authenticate>>;

async function activeTenant(ctx: Context, principal: Authenticated["principal"]) {
  const tenant = await resolveActiveTenant(ctx.rootDb, principal, ctx.selectedTenantSlug);
  if (!tenant) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of any tenant" });
  return tenant;
}

type ActiveTenant = Awaited<ReturnType<typeof activeTenant>>;

export const authedProcedure = publicProcedure.use(async ({ ctx, next, path }) => next({ ctx: await authenticate(ctx, path) }));

/** Refuses (FORBIDDEN, recorded as a security event) unless the role, and a token's scopes, allow `action`. */
async function authorize(ctx: Context, who: Authenticated, tenant: ActiveTenant, action: Action, path: string) {
  const role: Role = tenant.role;
  const denial = !roleAllows(role, action)
    ? `The ${role} role may not ${action}`
    : who.principal.kind === "token" && !scopesAllow(who.principal.scopes, action)
      ? `This token's scopes do not include ${action}`
      : null;
  if (!denial) return;
  await recordSecurityEvent(ctx.rootDb, {
    tenantId: tenant.id,
    actor: who.actor,
    action: "security.access_denied",
    summary: { path, permission: action, role, reason: denial },
    requestId: ctx.requestId,
    dedupeKey: `${who.actor.type}:${who.actor.id}:${path}`,
  });
  throw new TRPCError({ code: "FORBIDDEN", message: denial });
}

/** Counts the call against the tenant's and the caller's limits; TOO_MANY_REQUESTS past either. */
async function admitRate(ctx: Context, who: Authenticated, tenantId: string, operationClass: OperationClass) {
  const principalKey = who.principal.kind === "user" ? `u:${who.principal.userId}` : `k:${who.principal.tokenId}`;
  const decision = await ctx.rateLimiter.consume(tenantId, principalKey, operationClass);
  ctx.rateLimitDecisions.push(decision);
  if (decision.allowed) return;
  await ctx.rateLimiter.recordRefusal(tenantId, decision, who.actor, ctx.requestId);
  throw new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message: `Rate limit exceeded: ${decision.limit} ${operationClass} calls per ${decision.windowSeconds} s per ${decision.scope}; retry in ${Math.max(1, decision.resetSeconds)} s`,
  });
}

const ROLLBACK = Symbol("rollback");

/** ctx.db of an on-demand procedure: there is no transaction to hand out, so any use is a bug. */
const NO_DB_OUTSIDE_SCOPE = new Proxy({} as Db, {
  get(_target, property) {
    throw new Error(`ctx.db.${String(property)} used in an on-demand procedure; use ctx.tenantScope`);
  },
});

/**
 * A tenant procedure that the caller's role (and, for tokens, scopes) must allow, and that counts
 * against the tenant's and the caller's rate limits. One middleware does the checks in order
 * (authenticate, tenant, permission, rate limit) and then runs the rest of the call (the resolver)
 * inside one transaction scoped to the tenant: as the arbiter_app role under row-level security, so
 * even a query without a tenant filter sees only this tenant. The transaction commits only when the
 * call succeeds. It opens after the checks, whose records must persist when the call is refused.
 * With `transaction: "on-demand"` no transaction opens up front: ctx.tenantScope opens one when the
 * resolver needs the database (cache-served reads then cost no round trip). (One middleware, error
 * mapping included, rather than one per check: each tRPC middleware layer copies the call's options
 * and context, a measurable share of a small call.)
 */
export function permittedProcedure(action: Action, options: { rateClass?: OperationClass; transaction?: "on-demand" } = {}) {
  // The error mapping runs in this middleware too, not as a layer of its own (see above).
  return t.procedure.meta({ permission: action, ...options }).use(({ ctx, meta, type, next, path }) => mappedOutcome(ctx, path, type, async () => {
    const who = await authenticate(ctx, path);
    const tenant = await activeTenant(ctx, who.principal);
    await authorize(ctx, who, tenant, action, path);
    await admitRate(ctx, who, tenant.id, meta?.rateClass ?? (type === "query" ? "query" : "admin"));

    // Work that must see the committed result (e.g. research for a new task) runs after the commit.
    const hooks: (() => Promise<unknown>)[] = [];
    const afterCommit = (hook: () => Promise<unknown>) => void hooks.push(hook);
    const runHooks = () => {
      for (const hook of hooks) hook().catch((err: unknown) => ctx.log.error({ err }, "after-commit work failed"));
    };
    const admitted = { ...who, tenant, afterCommit };
    if (meta?.transaction === "on-demand") {
      const tenantScope: TenantScope = (work) => runInTenantScope(ctx.rootDb, tenant.id, work);
      const outcome = await next({ ctx: { ...admitted, db: NO_DB_OUTSIDE_SCOPE, tenantScope } });
      if (outcome.ok) runHooks();
      return outcome;
    }
    const continueIn = (tx: Tx) => {
      const tenantScope: TenantScope = (work) => work(tx);
      return next({ ctx: { ...admitted, db: tx as Db, tenantScope } });
    };
    let outcome: Awaited<ReturnType<typeof continueIn>> | undefined;
    try {
      await runInTenantScope(ctx.rootDb, tenant.id, async (tx) => {
        outcome = await continueIn(tx);
        if (!outcome.ok) throw ROLLBACK;
      });
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    if (outcome?.ok) runHooks();
    return outcome!;
  }));
}
