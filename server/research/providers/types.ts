// One interface for every research provider, and the failures they can report.

export const PROVIDER_IDS = ["local", "searxng", "brave", "google", "duckduckgo", "bing"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ProviderResult {
  title: string;
  url: string;
  snippet: string;
  publishedAt: string | null;
  /** The provider's own engine or source name, when it gives one. */
  source: string | null;
}

export interface SearchOptions {
  limit: number;
  signal?: AbortSignal;
}

export interface SearchProvider {
  id: ProviderId;
  search(query: string, options: SearchOptions): Promise<ProviderResult[]>;
}

export type ProviderFailureKind = "timeout" | "server_error" | "rate_limited" | "quota" | "auth" | "bad_request" | "malformed" | "network";

/** A provider call that failed; `retryable` says whether the same call may succeed later. */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderId,
    readonly kind: ProviderFailureKind,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(`${provider}: ${message}`);
    this.name = "ProviderError";
  }

  get retryable(): boolean {
    return this.kind === "timeout" || this.kind === "server_error" || this.kind === "rate_limited" || this.kind === "network";
  }
}
