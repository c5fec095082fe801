// Clients for web search APIs, each speaking the provider's documented HTTP interface. Base URLs
// are configurable (self-hosted SearXNG, a Bing contract endpoint, and local test servers).
import { asArray, asRecord, getJson, str } from "./http";
import { ProviderError, type ProviderResult, type SearchOptions, type SearchProvider } from "./types";

export interface WebProviderConfig {
  baseUrl?: string;
  apiKey?: string;
  /** Google Programmable Search engine id. */
  cx?: string;
}

function malformedUnless(provider: SearchProvider["id"], ok: boolean, what: string) {
  if (!ok) throw new ProviderError(provider, "malformed", `unexpected response shape: ${what}`);
}

function result(title: string | null, url: string | null, snippet: string | null, publishedAt: string | null, source: string | null): ProviderResult | null {
  return title && url ? { title, url, snippet: snippet ?? "", publishedAt, source } : null;
}

/** SearXNG: GET /search?q=…&format=json (JSON output must be enabled on the instance). */
export function searxng(config: WebProviderConfig): SearchProvider {
  if (!config.baseUrl) throw new Error("SearXNG needs its base URL");
  return {
    id: "searxng",
    async search(query: string, { limit, signal }: SearchOptions) {
      const url = new URL("/search", config.baseUrl);
      url.search = new URLSearchParams({ q: query, format: "json", pageno: "1" }).toString();
      const body = asRecord(await getJson("searxng", url, {}, signal));
      malformedUnless("searxng", Array.isArray(body.results), "results");
      return asArray(body.results)
        .map((r) => asRecord(r))
        .map((r) => result(str(r.title), str(r.url), str(r.content), str(r.publishedDate), str(r.engine)))
        .filter((r): r is ProviderResult => r !== null)
        .slice(0, limit);
    },
  };
}

/** Brave Search API: GET /res/v1/web/search?q=…&count=…, header X-Subscription-Token. */
export function brave(config: WebProviderConfig): SearchProvider {
  if (!config.apiKey) throw new Error("Brave Search needs an API key");
  const base = config.baseUrl ?? "https://api.search.brave.com";
  return {
    id: "brave",
    async search(query: string, { limit, signal }: SearchOptions) {
      const url = new URL("/res/v1/web/search", base);
      url.search = new URLSearchParams({ q: query, count: String(Math.min(limit, 20)) }).toString();
      const body = asRecord(await getJson("brave", url, { "X-Subscription-Token": config.apiKey!, "Accept-Encoding": "identity" }, signal));
      const web = asRecord(body.web);
      malformedUnless("brave", body.type === "search" || "web" in body || "query" in body, "type/web");
      return asArray(web.results)
        .map((r) => asRecord(r))
        .map((r) => result(str(r.title), str(r.url), str(r.description), str(r.page_age) ?? str(r.age), str(asRecord(r.profile).name)))
        .filter((r): r is ProviderResult => r !== null)
        .slice(0, limit);
    },
  };
}

/** Google Programmable Search (Custom Search JSON API): GET /customsearch/v1?key=…&cx=…&q=…&num=…. */
export function google(config: WebProviderConfig): SearchProvider {
  if (!config.apiKey || !config.cx) throw new Error("Google Programmable Search needs an API key and an engine id (cx)");
  const base = config.baseUrl ?? "https://www.googleapis.com";
  return {
    id: "google",
    async search(query: string, { limit, signal }: SearchOptions) {
      const url = new URL("/customsearch/v1", base);
      url.search = new URLSearchParams({ key: config.apiKey!, cx: config.cx!, q: query, num: String(Math.min(limit, 10)) }).toString();
      const body = asRecord(await getJson("google", url, {}, signal));
      malformedUnless("google", "kind" in body || "items" in body || "searchInformation" in body, "kind/items");
      return asArray(body.items)
        .map((r) => asRecord(r))
        .map((r) => {
          const meta = asRecord(asArray(asRecord(r.pagemap).metatags)[0]);
          return result(str(r.title), str(r.link), str(r.snippet), str(meta["article:published_time"]), str(r.displayLink));
        })
        .filter((r): r is ProviderResult => r !== null)
        .slice(0, limit);
    },
  };
}

/** DuckDuckGo Instant Answer API: GET /?q=…&format=json&no_html=1&skip_disambig=1 (no key). */
export function duckduckgo(config: WebProviderConfig): SearchProvider {
  const base = config.baseUrl ?? "https://api.duckduckgo.com";
  return {
    id: "duckduckgo",
    async search(query: string, { limit, signal }: SearchOptions) {
      const url = new URL("/", base);
      url.search = new URLSearchParams({ q: query, format: "json", no_html: "1", skip_disambig: "1", no_redirect: "1" }).toString();
      const body = asRecord(await getJson("duckduckgo", url, {}, signal));
      malformedUnless("duckduckgo", "RelatedTopics" in body || "AbstractText" in body, "RelatedTopics/AbstractText");
      const out: ProviderResult[] = [];
      const abstract = result(str(body.Heading), str(body.AbstractURL), str(body.AbstractText), null, str(body.AbstractSource));
      if (abstract) out.push(abstract);
      const topics = (list: unknown[]): void => {
        for (const t of list.map((x) => asRecord(x))) {
          if (Array.isArray(t.Topics)) topics(t.Topics);
          else {
            const text = str(t.Text);
            const r = result(text ? text.split(" - ")[0]! : null, str(t.FirstURL), text, null, "DuckDuckGo");
            if (r) out.push(r);
          }
        }
      };
      topics([...asArray(body.Results), ...asArray(body.RelatedTopics)]);
      return out.slice(0, limit);
    },
  };
}

/**
 * Bing Web Search v7: GET {endpoint}/v7.0/search?q=…&count=…, header Ocp-Apim-Subscription-Key.
 * Microsoft retired the public self-service API in August 2025; this serves deployments that keep
 * an existing contract endpoint, so the endpoint is required.
 */
export function bing(config: WebProviderConfig): SearchProvider {
  if (!config.apiKey || !config.baseUrl) throw new Error("Bing needs the endpoint of an existing contract and its key (the public API was retired in August 2025)");
  return {
    id: "bing",
    async search(query: string, { limit, signal }: SearchOptions) {
      const url = new URL("/v7.0/search", config.baseUrl);
      url.search = new URLSearchParams({ q: query, count: String(Math.min(limit, 50)), responseFilter: "Webpages" }).toString();
      const body = asRecord(await getJson("bing", url, { "Ocp-Apim-Subscription-Key": config.apiKey! }, signal));
      malformedUnless("bing", body._type === "SearchResponse" || "webPages" in body, "_type");
      return asArray(asRecord(body.webPages).value)
        .map((r) => asRecord(r))
        .map((r) => result(str(r.name), str(r.url), str(r.snippet), str(r.datePublished) ?? str(r.dateLastCrawled), null))
        .filter((r): r is ProviderResult => r !== null)
        .slice(0, limit);
    },
  };
}
