// Distributed rate limiting: fixed-window counters in Postgres through rate-limiter-flexible, so
// every app instance enforces the same limit, taken in small leases (leased-counter.ts) so that
// most calls cost no round trip. Limits are per tenant and per principal (user or token), per
// operation class, configurable per tenant.
import pg from "pg";
import { inTransaction } from "@/server/db/transaction";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Db } from "@/server/db/client";
import { withAudit, recordAudit, type AuditActor } from "@/server/audit/service";
import { LeasedCounter } from "./leased-counter";
import { DEFAULT_LIMITS, OPERATION_CLASSES, type LimitDecision, type LimitSetting, type OperationClass } from "./rate-limit-policy";

const SETTINGS_CACHE_MS = 2_000;

type LimiterFactory = (points: number, windowSeconds: number) => RateLimiterAbstract;

/** Counters are per setting: a changed limit starts a fresh window. Otherwise points leased under the
 *  old limit (up to 50 per instance and key, see leased-counter.ts) would count against the new one,
 *  and a limit lowered to 5 could refuse a client that had made one call. */
const counterPrefix = (base: string, points: number, windowSeconds: number) => `${base}:${points}/${windowSeconds}`;

export class RateLimiter {
  private readonly limiters = new Map<string, LeasedCounter>();
  private readonly settings = new Map<string, { at: number; value: Promise<Record<OperationClass, LimitSetting>> }>();

  constructor(
    private readonly db: Db,
    private readonly makeLimiter: LimiterFactory,
  ) {}

  /** Counters in Postgres, shared by every instance on this database. */
  static fromUrl(db: Db, url: string) {
    // Counters are not worth an fsync each: with synchronous_commit off, a Postgres crash can lose
    // the last fraction of a second of increments (a client gets a few extra calls), never corrupt
    // them. This pool holds nothing else.
    const pool = new pg.Pool({ connectionString: url, max: 4, allowExitOnIdle: true, options: "-c synchronous_commit=off" });
    return new RateLimiter(db, (points, duration) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName: "rate_limits",
        tableCreated: true, // created by our migration
        clearExpiredByTimeout: false,
        keyPrefix: counterPrefix("rl", points, duration),
        points,
        duration,
      }),
    );
  }

  /** Counters in Redis (REDIS_URL), shared by every instance using that Redis. */
  static fromRedis(db: Db, redisUrl: string) {
    const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    return new RateLimiter(db, (points, duration) => new RateLimiterRedis({ storeClient: client, keyPrefix: counterPrefix("arbiter-rl", points, duration), points, duration }));
  }

  /** Counters in this process: for the embedded database, which serves exactly one process. */
  static inMemory(db: Db) {
    return new RateLimiter(db, (points, duration) => new RateLimiterMemory({ keyPrefix: counterPrefix("rl", points, duration), points, duration }));
  }

  private limiter(points: number, windowSeconds: number) {
    const key = `${points}/${windowSeconds}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new LeasedCounter(this.makeLimiter(points, windowSeconds), points);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  async limitsFor(tenantId: string): Promise<Record<OperationClass, LimitSetting>> {
    const hit = this.settings.get(tenantId);
    if (hit && Date.now() - hit.at < SETTINGS_CACHE_MS) return hit.value;
    const value = this.db.rateLimitSetting.findMany({ where: { tenantId } }).then((rows) => {
      const out = { ...DEFAULT_LIMITS };
      for (const r of rows) {
        if ((OPERATION_CLASSES as readonly string[]).includes(r.operationClass)) {
          out[r.operationClass as OperationClass] = { perTenant: r.perTenant, perPrincipal: r.perPrincipal, windowSeconds: r.windowSeconds };
        }
      }
      return out;
    });
    this.settings.set(tenantId, { at: Date.now(), value });
    return value;
  }

  forgetSettings(tenantId: string) {
    this.settings.delete(tenantId);
  }

  /** Takes one point from the tenant's and the principal's bucket for this class. */
  async consume(tenantId: string, principalKey: string, operationClass: OperationClass): Promise<LimitDecision> {
    const setting = (await this.limitsFor(tenantId))[operationClass];
    const attempt = async (scope: "tenant" | "principal", key: string, points: number) => {
      const res = await this.limiter(points, setting.windowSeconds).consume(key);
      return { scope, points, res, allowed: res.allowed };
    };
    const results = await Promise.all([
      attempt("tenant", `t:${tenantId}:${operationClass}`, setting.perTenant),
      attempt("principal", `p:${tenantId}:${principalKey}:${operationClass}`, setting.perPrincipal),
    ]);
    const refused = results.find((r) => !r.allowed);
    const closest = refused ?? results.reduce((a, b) => (b.res.remaining < a.res.remaining ? b : a));
    return {
      allowed: !refused,
      scope: closest.scope,
      operationClass,
      limit: closest.points,
      remaining: closest.res.remaining,
      resetSeconds: Math.ceil(Math.max(0, closest.res.msBeforeNext) / 1000),
      windowSeconds: setting.windowSeconds,
      policies: results.map((r) => ({ scope: r.scope, limit: r.points, windowSeconds: setting.windowSeconds })),
      firstRefusal: !!refused && refused.res.firstRefusal,
    };
  }

  /** Counts a refusal; the first in a window also goes to the audit log. */
  async recordRefusal(tenantId: string, decision: LimitDecision, actor: AuditActor, requestId: string, now = new Date()) {
    const day = new Date(now);
    day.setUTCHours(0, 0, 0, 0);
    await this.db.$executeRaw`
      INSERT INTO rate_limit_rejections ("tenantId", "operationClass", day, count) VALUES (${tenantId}, ${decision.operationClass}, ${day}, 1)
      ON CONFLICT ("tenantId", "operationClass", day) DO UPDATE SET count = rate_limit_rejections.count + 1`;
    if (decision.firstRefusal) {
      await inTransaction(this.db, (tx) =>
        recordAudit(tx, {
          tenantId,
          actor,
          action: "security.rate_limited",
          summary: { operationClass: decision.operationClass, scope: decision.scope, limit: decision.limit, windowSeconds: decision.windowSeconds },
          requestId,
          now,
        }),
      );
    }
  }
}

export async function rateLimitOverview(db: Db, limiter: RateLimiter, tenantId: string, now = new Date()) {
  const since = new Date(now.getTime() - 6 * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const [limits, rejections] = await Promise.all([
    limiter.limitsFor(tenantId),
    db.rateLimitRejection.findMany({ where: { tenantId, day: { gte: since } }, orderBy: { day: "asc" } }),
  ]);
  return {
    limits: OPERATION_CLASSES.map((c) => ({ operationClass: c, ...limits[c], isDefault: limits[c] === DEFAULT_LIMITS[c] })),
    rejections: rejections.map((r) => ({ operationClass: r.operationClass, day: r.day.toISOString().slice(0, 10), count: r.count })),
  };
}

export async function setRateLimit(
  db: Db,
  limiter: RateLimiter,
  caller: { actor: AuditActor; requestId: string | null },
  tenantId: string,
  input: { operationClass: OperationClass } & LimitSetting,
  now = new Date(),
) {
  const { operationClass, ...setting } = input;
  const result = await withAudit(db, async (tx) => {
    const before = await tx.rateLimitSetting.findUnique({ where: { tenantId_operationClass: { tenantId, operationClass } } });
    const after = await tx.rateLimitSetting.upsert({
      where: { tenantId_operationClass: { tenantId, operationClass } },
      create: { tenantId, operationClass, ...setting, updatedAt: now },
      update: { ...setting, updatedAt: now },
    });
    return {
      result: after,
      audit: {
        tenantId,
        actor: caller.actor,
        action: "security.rate_limit_changed",
        target: { type: "rate_limit", id: operationClass },
        summary: { before: before ? { perTenant: before.perTenant, perPrincipal: before.perPrincipal, windowSeconds: before.windowSeconds } : DEFAULT_LIMITS[operationClass], after: setting },
        requestId: caller.requestId,
        now,
      },
    };
  });
  limiter.forgetSettings(tenantId);
  return result;
}

const globalForLimiter = globalThis as unknown as { arbiterRateLimiter?: RateLimiter };

/** The process's limiter: on DATABASE_URL, or in memory with the embedded database (one process,
 *  and its socket server cannot serve a second connection pool reliably). */
export function getRateLimiter(db: Db): RateLimiter {
  // Called on every API call: the cached limiter first (reading process.env costs a getenv each time).
  if (globalForLimiter.arbiterRateLimiter) return globalForLimiter.arbiterRateLimiter;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  globalForLimiter.arbiterRateLimiter = process.env.REDIS_URL
    ? RateLimiter.fromRedis(db, process.env.REDIS_URL)
    : process.env.ARBITER_EMBEDDED_DB === "1"
      ? RateLimiter.inMemory(db)
      : RateLimiter.fromUrl(db, url);
  return globalForLimiter.arbiterRateLimiter;
}
