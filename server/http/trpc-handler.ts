// The tRPC API on Node's own HTTP request/response, without Next.js's request pipeline in front:
// on a trivial authenticated call that pipeline cost ~85% of the time (tenant.whoami at 16
// concurrent callers: 515/s through a route handler, 3,284/s here, same machine and run).
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { getToken } from "next-auth/jwt";
import { appRouter } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/context";
import { trpcResponseHeaders } from "@/server/trpc/response-headers";
import { parseCookies } from "@/server/observability/request";
import type { RootDb } from "@/server/db/client";
import type { RateLimiter } from "@/server/security/rate-limiter";

export const TRPC_BASE_PATH = "/api/trpc/";
/** Policies, specs and task payloads fit easily; anything larger is refused with 413. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface TrpcHandlerDeps {
  db: () => RootDb;
  rateLimiter: (db: RootDb) => RateLimiter;
  /** The signed-in user of a browser call, from its session cookie. */
  sessionUserId: (req: IncomingMessage) => Promise<string | null>;
}

export function headersFromNode(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return headers;
}

/** The user id in next-auth's session cookie (a JWT, checked for signature and expiry), if any. */
export async function sessionUserIdFromCookie(req: IncomingMessage): Promise<string | null> {
  const token = await getToken({ req: Object.assign(req, { cookies: parseCookies(req.headers.cookie) }) });
  return typeof token?.sub === "string" ? token.sub : null;
}

/**
 * Reads a request body into `req.body`, where tRPC's adapter takes it as it is instead of wrapping
 * the request in a web ReadableStream (a measurable share of a small call's CPU). Past
 * MAX_BODY_BYTES it answers 413 itself, as tRPC would, and reads no further.
 */
function readBody(req: IncomingMessage & { body?: string }, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      res.statusCode = 413;
      res.setHeader("content-type", "application/json");
      res.setHeader("connection", "close");
      res.end(JSON.stringify({ error: { json: { message: `Request body over ${MAX_BODY_BYTES} bytes`, code: -32013, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } } } }));
      req.resume();
      resolve(false);
    };
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return refuse();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off("data", onData);
      req.off("end", onEnd);
      refuse();
    };
    const onEnd = () => {
      req.body = Buffer.concat(chunks).toString("utf8");
      resolve(true);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

export function createTrpcHandler(deps: TrpcHandlerDeps): RequestListener {
  const handle = createTrpcHttpHandler(deps);
  return (req, res) => {
    if (req.method !== "POST") return handle(req, res);
    readBody(req, res).then(
      (read) => read && handle(req, res),
      () => res.destroy(),
    );
  };
}

function createTrpcHttpHandler(deps: TrpcHandlerDeps): RequestListener {
  return createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    maxBodySize: MAX_BODY_BYTES,
    createContext: async ({ req }) => {
      const headers = headersFromNode(req.headers);
      // A bearer token takes precedence; the session is only read for browser calls.
      const hasBearer = headers.get("authorization")?.toLowerCase().startsWith("bearer ");
      const db = deps.db();
      return createContext({
        db,
        headers,
        sessionUserId: hasBearer ? null : await deps.sessionUserId(req),
        rateLimiter: deps.rateLimiter(db),
      });
    },
    responseMeta: ({ ctx }) => ({ headers: trpcResponseHeaders(ctx) }),
  });
}
