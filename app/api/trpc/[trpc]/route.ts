import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/context";
import { getDb } from "@/server/db/client";
import { sessionUserId } from "@/server/auth/session";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  // A bearer token takes precedence; the session is only read for browser calls.
  const hasBearer = req.headers.get("authorization")?.toLowerCase().startsWith("bearer ");
  const userId = hasBearer ? null : await sessionUserId();
  let requestId = "";
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      const ctx = await createContext({ db: getDb(), headers: req.headers, sessionUserId: userId });
      requestId = ctx.requestId;
      return ctx;
    },
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId, "cache-control": "no-store" }) }),
  });
}

export { handler as GET, handler as POST };
