// Hands the API handler from Next.js's server bundle (where instrumentation.ts builds it, after the
// bootstrap) to the HTTP server in server/http/serve.mjs, which runs outside that bundle. Through
// a global, so the API runs on the same modules (and Prisma client) the bootstrap prepared.
import type { RequestListener } from "node:http";
import { getDb } from "@/server/db/client";
import { getRateLimiter } from "@/server/security/rate-limiter";
import { createTrpcHandler, sessionUserIdFromCookie } from "./trpc-handler";

const API_HANDLER = Symbol.for("arbiter.apiHandler");

export function publishApiHandler(): void {
  (globalThis as Record<symbol, RequestListener>)[API_HANDLER] = createTrpcHandler({
    db: getDb,
    rateLimiter: getRateLimiter,
    sessionUserId: sessionUserIdFromCookie,
  });
}
