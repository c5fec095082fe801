// Which research providers a deployment has, from the environment (single-tenant installs).
// The local knowledge base is always available and needs no network.
import { PROVIDER_IDS, type ProviderId, type SearchProvider } from "./providers/types";
import { bing, brave, duckduckgo, google, searxng } from "./providers/web-providers";

/** Calls per minute each provider's usual plan allows; override with <PROVIDER>_QUOTA_PER_MINUTE. */
export const DEFAULT_QUOTAS: Partial<Record<ProviderId, number>> = { brave: 60, google: 60, duckduckgo: 60, bing: 180 };

export interface ResearchEnv {
  chain: ProviderId[];
  quotas: Partial<Record<ProviderId, number>>;
  web: Partial<Record<Exclude<ProviderId, "local">, () => SearchProvider>>;
  cacheTtlSeconds: number;
}

export function researchEnv(env: NodeJS.ProcessEnv = process.env): ResearchEnv {
  const web: ResearchEnv["web"] = {};
  if (env.SEARXNG_URL) web.searxng = () => searxng({ baseUrl: env.SEARXNG_URL });
  if (env.BRAVE_API_KEY) web.brave = () => brave({ apiKey: env.BRAVE_API_KEY, baseUrl: env.BRAVE_BASE_URL });
  if (env.GOOGLE_CSE_KEY && env.GOOGLE_CSE_CX) web.google = () => google({ apiKey: env.GOOGLE_CSE_KEY, cx: env.GOOGLE_CSE_CX, baseUrl: env.GOOGLE_BASE_URL });
  if (env.DUCKDUCKGO_ENABLED === "1" || env.DUCKDUCKGO_BASE_URL) web.duckduckgo = () => duckduckgo({ baseUrl: env.DUCKDUCKGO_BASE_URL });
  if (env.BING_ENDPOINT && env.BING_API_KEY) web.bing = () => bing({ baseUrl: env.BING_ENDPOINT, apiKey: env.BING_API_KEY });
  const requested = (env.ARBITER_RESEARCH_CHAIN ?? "local,searxng,brave,google,duckduckgo,bing")
    .split(",")
    .map((s) => s.trim())
    .filter((s): s is ProviderId => (PROVIDER_IDS as readonly string[]).includes(s));
  // Only providers that are configured take part; the order is the configured one.
  const chain = requested.filter((id) => id === "local" || id in web);
  const quotas: Partial<Record<ProviderId, number>> = { ...DEFAULT_QUOTAS };
  for (const id of PROVIDER_IDS) {
    const value = Number(env[`${id.toUpperCase()}_QUOTA_PER_MINUTE`]);
    if (Number.isFinite(value) && value > 0) quotas[id] = value;
  }
  return { chain: chain.length ? chain : ["local"], quotas, web, cacheTtlSeconds: Number(env.ARBITER_RESEARCH_CACHE_TTL ?? 3600) };
}
