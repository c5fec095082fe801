// Request identity shared by logs and audit entries.
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** What is read of a request's headers: a web Headers object has it, and so does a cheap view of
 *  Node's own (parsed) headers. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** Node's request headers as a HeaderReader, without copying them into a web Headers object. */
export function nodeHeaderReader(incoming: IncomingHttpHeaders): HeaderReader {
  return {
    get(name) {
      const value = incoming[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;

/** Keeps a caller's x-request-id when it is well formed, so a client can correlate; else a new one. */
export function requestIdFrom(headers: HeaderReader): string {
  const given = headers.get("x-request-id");
  return given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

export function clientIpFrom(headers: HeaderReader): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || null;
}

/** The request's cookies by name (first occurrence wins, values URI-decoded). */
export function parseCookies(cookieHeader: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!cookieHeader) return cookies;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}
