import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/context";
import { getDb } from "@/server/db/client";
import { sessionUserId } from "@/server/auth/session";
import { getRateLimiter } from "@/server/security/rate-limiter";
import { trpcResponseHeaders } from "@/server/trpc/response-headers";
import type { Context } from "@/server/trpc/context";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  // A bearer token takes precedence; the session is only read for browser calls.
  const hasBearer = req.headers.get("authorization")?.toLowerCase().startsWith("bearer ");
  const userId = hasBearer ? null : await sessionUserId();
  let context: Context | undefined;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      const db = getDb();
      context = await createContext({ db, headers: req.headers, sessionUserId: userId, rateLimiter: getRateLimiter(db) });
      return context;
    },
    responseMeta: () => ({ headers: trpcResponseHeaders(context) }),
  });
}

export { handler as GET, handler as POST };
