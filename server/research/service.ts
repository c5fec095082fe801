// Research for a tenant: the cache, else the fallback chain (local knowledge base first, then the
// configured web providers), ranked and labelled; the answer records where every result came from.
import { createHash } from "node:crypto";
import type { Db, Prisma } from "@/server/db/client";
import { searchKnowledge } from "./knowledge-base";
import { resilient, type ResilientProvider } from "./resilience";
import { searchFanOut, searchWithFallback, type TrailEntry } from "./chain";
import { rankResults, type RankedResult } from "./ranking";
import { loadTenantResearch } from "./tenant-config";
import { providerHealth, recordTrail } from "./health";
import { CircuitState } from "cockatiel";
import type { ProviderId, ProviderResult, SearchProvider } from "./providers/types";

export interface ResearchAnswer {
  query: string;
  cached: boolean;
  provider: ProviderId | null;
  results: RankedResult[];
  trail: TrailEntry[];
  at: Date;
}


const webProviders = new Map<string, ResilientProvider>();

/** One resilient client (breaker, quota) per provider and credential source: a tenant with its
 *  own key gets its own breaker and quota. */
function webProvider(key: string, make: () => SearchProvider, quotaPerMinute: number | undefined): ResilientProvider {
  let p = webProviders.get(key);
  if (!p) {
    p = resilient(make(), { quotaPerMinute: quotaPerMinute ?? null });
    webProviders.set(key, p);
  }
  return p;
}

const providerKey = (tenantId: string, id: ProviderId, source: "tenant" | "environment") => (source === "tenant" ? `${tenantId}:${id}` : `env:${id}`);

/** The tenant's chain with each provider's breaker state, quota use and health. */
export async function providerStatus(db: Db, tenantId: string) {
  const config = await loadTenantResearch(db, tenantId);
  return config.chain.map((id) => {
    const entry = id === "local" ? null : config.providers[id];
    const p = entry ? webProviders.get(providerKey(tenantId, id, entry.source)) : undefined;
    return {
      id,
      breaker: p ? CircuitState[p.breaker.state].toLowerCase() : "closed",
      quota: p ? p.quota() : { used: 0, limit: entry?.quotaPerMinute ?? null },
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
  const config = await loadTenantResearch(db, tenantId);
  const key = createHash("sha256").update(`${normaliseQuery(query)}|${config.chain.join(",")}|${config.fanOut}|${limit}`).digest("hex");
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
  const chain = config.chain.map((id) => {
    if (id === "local") return resilient(localProvider(db, tenantId), { maxAttempts: 1 });
    const entry = config.providers[id]!;
    return webProvider(providerKey(tenantId, id, entry.source), entry.make, entry.quotaPerMinute);
  });
  let batches: { provider: ProviderId; results: ProviderResult[] }[];
  let trail: TrailEntry[];
  if (config.fanOut > 1) {
    ({ batches, trail } = await searchFanOut(chain, query, limit, config.fanOut));
  } else {
    const found = await searchWithFallback(chain, query, limit);
    batches = found.provider ? [{ provider: found.provider, results: found.results }] : [];
    trail = found.trail;
  }
  recordTrail(trail, now);
  const results = rankResults(batches, config.credibility, now).slice(0, limit);
  const found = { provider: batches[0]?.provider ?? null, trail };
  // Only answers with results are cached: an outage must not be remembered for an hour.
  if (results.length > 0) {
    const expiresAt = new Date(now.getTime() + config.cacheTtlSeconds * 1000);
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
  return { entries, hits, hitRatio: entries + hits > 0 ? hits / (entries + hits) : null, providers: (await loadTenantResearch(db, tenantId)).chain };
}
