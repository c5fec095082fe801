// Normalises, de-duplicates and ranks research results: relevance (the provider's order),
// source credibility (allow/deny lists and weights by domain) and freshness; each result is
// labelled high/medium/low quality. Pure: `now` is a parameter.
import type { ProviderId, ProviderResult } from "./providers/types";

export interface CredibilityRules {
  allow: string[];
  deny: string[];
  /** Domain -> weight (1 = neutral). */
  weights: Record<string, number>;
}

export const DEFAULT_CREDIBILITY: CredibilityRules = { allow: [], deny: [], weights: {} };

export interface RankedResult extends ProviderResult {
  provider: ProviderId;
  canonicalUrl: string;
  domain: string;
  score: number;
  quality: "high" | "medium" | "low";
  rank: number;
}

const TRACKING = /^(utm_|fbclid$|gclid$|mc_|ref$|ref_src$)/i;

/** One URL per page: lower-case host without "www.", no fragment, no tracking parameters, no trailing slash. */
export function canonicalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol === "arbiter:") return raw; // the local knowledge base's own documents
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  url.hash = "";
  url.hostname = url.hostname.toLowerCase().replace(/^www\./, "");
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  url.searchParams.sort();
  const text = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}${url.search}`;
  return text;
}

const matchesDomain = (domain: string, rule: string) => domain === rule || domain.endsWith(`.${rule}`);

function freshness(publishedAt: string | null, now: Date): number {
  if (!publishedAt) return 1;
  const at = Date.parse(publishedAt);
  if (Number.isNaN(at)) return 1;
  const days = (now.getTime() - at) / 86_400_000;
  return days <= 30 ? 1.2 : days <= 365 ? 1 : 0.8;
}

export function rankResults(
  batches: { provider: ProviderId; results: ProviderResult[] }[],
  rules: CredibilityRules,
  now: Date,
): RankedResult[] {
  const byUrl = new Map<string, RankedResult>();
  for (const { provider, results } of batches) {
    results.forEach((r, position) => {
      const canonical = canonicalUrl(r.url);
      if (!canonical) return;
      const domain = new URL(canonical).hostname;
      if (rules.deny.some((d) => matchesDomain(domain, d))) return;
      const credibility = rules.allow.some((d) => matchesDomain(domain, d))
        ? 1.5
        : (Object.entries(rules.weights).find(([d]) => matchesDomain(domain, d))?.[1] ?? 1);
      const relevance = 1 / (1 + position * 0.25);
      const score = Math.round(relevance * credibility * freshness(r.publishedAt, now) * 1000) / 1000;
      const existing = byUrl.get(canonical);
      if (!existing || existing.score < score) {
        byUrl.set(canonical, { ...r, provider, canonicalUrl: canonical, domain, score, quality: "low", rank: 0 });
      }
    });
  }
  return [...byUrl.values()]
    .sort((a, b) => b.score - a.score)
    .map((r, i) => ({ ...r, rank: i + 1, quality: r.score >= 0.9 ? "high" : r.score >= 0.5 ? "medium" : "low" }));
}
