// Research for a tenant: the cache, else the fallback chain (local knowledge base first, then the
// configured web providers), ranked and labelled; the answer records where every result came from.
import { createHash } from "node:crypto";
import type { Db, Prisma } from "@/server/db/client";
import { searchKnowledge } from "./knowledge-base";
import { resilient, type ResilientProvider } from "./resilience";
import { searchWithFallback, type TrailEntry } from "./chain";
import { DEFAULT_CREDIBILITY, rankResults, type RankedResult } from "./ranking";
import { researchEnv } from "./config";
import { providerHealth, recordTrail } from "./health";
import { CircuitState } from "cockatiel";
import type { ProviderId, SearchProvider } from "./providers/types";

export interface ResearchAnswer {
  query: string;
  cached: boolean;
  provider: ProviderId | null;
  results: RankedResult[];
  trail: TrailEntry[];
  at: Date;
}

/** Web providers keep their breakers across requests (one set per process). */
const webProviders = new Map<ProviderId, ResilientProvider>();

function webProvider(id: Exclude<ProviderId, "local">, make: () => SearchProvider, quotaPerMinute: number | undefined): ResilientProvider {
  let p = webProviders.get(id);
  if (!p) {
    p = resilient(make(), { quotaPerMinute: quotaPerMinute ?? null });
    webProviders.set(id, p);
  }
  return p;
}

/** The configured chain with each provider's breaker state, quota use and health. */
export function providerStatus() {
  const env = researchEnv();
  return env.chain.map((id) => {
    const p = id === "local" ? null : webProviders.get(id);
    return {
      id,
      breaker: id === "local" ? "closed" : p ? CircuitState[p.breaker.state].toLowerCase() : "closed",
      quota: p ? p.quota() : { used: 0, limit: env.quotas[id] ?? null },
      ...providerHealth(id),
    };
  });
}

function localProvider(db: Db, tenantId: string): SearchProvider {
  return {
    id: "local",
    async search(query, { limit }) {
      const hits = await searchKnowledge(db, tenantId, query, limit);
      return hits.map((h) => ({
        title: h.title,
        url: h.sourceUrl ?? `arbiter://knowledge/${h.documentId}`,
        snippet: h.snippet,
        publishedAt: h.createdAt.toISOString(),
        source: "knowledge base",
      }));
    },
  };
}

export const normaliseQuery = (q: string) => q.trim().toLowerCase().replace(/\s+/g, " ");

export async function research(db: Db, tenantId: string, query: string, limit: number, now = new Date()): Promise<ResearchAnswer> {
  const env = researchEnv();
  const key = createHash("sha256").update(`${normaliseQuery(query)}|${env.chain.join(",")}|${limit}`).digest("hex");
  const cached = await db.researchCache.findUnique({ where: { tenantId_key: { tenantId, key } } });
  if (cached && cached.expiresAt > now) {
    await db.$executeRaw`UPDATE research_cache SET hits = hits + 1 WHERE "tenantId" = ${tenantId} AND key = ${key}`;
    return {
      query,
      cached: true,
      provider: cached.provider as ProviderId | null,
      results: cached.results as unknown as RankedResult[],
      trail: cached.trail as unknown as TrailEntry[],
      at: cached.createdAt,
    };
  }
  const chain = env.chain.map((id) =>
    id === "local" ? resilient(localProvider(db, tenantId), { maxAttempts: 1 }) : webProvider(id, env.web[id]!, env.quotas[id]),
  );
  const found = await searchWithFallback(chain, query, limit);
  recordTrail(found.trail, now);
  const results = found.provider ? rankResults([{ provider: found.provider, results: found.results }], DEFAULT_CREDIBILITY, now) : [];
  // Only answers with results are cached: an outage must not be remembered for an hour.
  if (results.length > 0) {
    const expiresAt = new Date(now.getTime() + env.cacheTtlSeconds * 1000);
    const data = { query, provider: found.provider, results: results as unknown as Prisma.InputJsonValue, trail: found.trail as unknown as Prisma.InputJsonValue, createdAt: now, expiresAt, hits: 0 };
    await db.researchCache.upsert({ where: { tenantId_key: { tenantId, key } }, create: { tenantId, key, ...data }, update: data });
  }
  return { query, cached: false, provider: found.provider, results, trail: found.trail, at: now };
}

export async function cacheStats(db: Db, tenantId: string) {
  const rows = await db.$queryRaw<{ entries: bigint; hits: bigint }[]>`
    SELECT count(*) AS entries, COALESCE(sum(hits), 0) AS hits FROM research_cache WHERE "tenantId" = ${tenantId}`;
  const entries = Number(rows[0]?.entries ?? 0);
  const hits = Number(rows[0]?.hits ?? 0);
  return { entries, hits, hitRatio: entries + hits > 0 ? hits / (entries + hits) : null, providers: researchEnv().chain };
}
