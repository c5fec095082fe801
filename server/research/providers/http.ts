// The HTTP part all web providers share: one GET, JSON out, failures as typed ProviderErrors.
import { ProviderError, type ProviderId } from "./types";

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export async function getJson(provider: ProviderId, url: URL, headers: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json", ...headers }, signal });
  } catch (error) {
    if (signal?.aborted || (error instanceof Error && error.name === "TimeoutError")) throw new ProviderError(provider, "timeout", "timed out");
    throw new ProviderError(provider, "network", error instanceof Error ? error.message : String(error));
  }
  if (response.status === 429) {
    throw new ProviderError(provider, "rate_limited", "quota exceeded (HTTP 429)", parseRetryAfter(response.headers.get("retry-after")));
  }
  if (response.status === 401 || response.status === 403) throw new ProviderError(provider, "auth", `credentials refused (HTTP ${response.status})`);
  if (response.status >= 500) throw new ProviderError(provider, "server_error", `HTTP ${response.status}`, parseRetryAfter(response.headers.get("retry-after")));
  if (!response.ok) throw new ProviderError(provider, "bad_request", `HTTP ${response.status}`);
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError(provider, "malformed", "response is not JSON");
  }
}

/** Reads a nested field as a string, or null. */
export const str = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
