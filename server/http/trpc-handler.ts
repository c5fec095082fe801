// The tRPC API on Node's own HTTP request/response, without Next.js's request pipeline in front:
// on a trivial authenticated call that pipeline cost ~85% of the time (tenant.whoami at 16
// concurrent callers: 515/s through a route handler, 3,284/s here, same machine and run).
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { resolveResponse } from "@trpc/server/http";
import { getToken } from "next-auth/jwt";
import { appRouter } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/context";
import { trpcResponseHeaders } from "@/server/trpc/response-headers";
import { nodeHeaderReader, parseCookies, type HeaderReader } from "@/server/observability/request";
import { answerSingleCall, singleCallOf, type SingleCallAnswer } from "./trpc-single-call";
import { logger } from "@/server/observability/logger";
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
 * Reads a request body whole, so the Request handed to tRPC carries a string instead of a web
 * ReadableStream over the socket (a measurable share of a small call's CPU). Past MAX_BODY_BYTES it
 * answers 413 itself and reads no further (null).
 */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const refuse = () => {
      res.statusCode = 413;
      res.setHeader("content-type", "application/json");
      res.setHeader("connection", "close");
      res.end(JSON.stringify({ error: { json: { message: `Request body over ${MAX_BODY_BYTES} bytes`, code: -32013, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } } } }));
      req.resume();
      resolve(null);
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
    const onEnd = () => resolve(Buffer.concat(chunks).toString("utf8"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

export function createTrpcHandler(deps: TrpcHandlerDeps): RequestListener {
  const handle = createTrpcHttpHandler(deps);
  return (req, res) => {
    if (req.method !== "POST") return void handle(req, res, undefined);
    readBody(req, res).then(
      (body) => {
        if (body !== null) void handle(req, res, body);
      },
      () => res.destroy(),
    );
  };
}

/**
 * One unbatched JSON query or mutation (nearly every programmatic call) is answered directly
 * (trpc-single-call.ts); everything else goes through tRPC's own request resolution (resolveResponse,
 * the documented base of its adapters) with a lighter Node side than its standalone adapter: the
 * headers are converted once, and a whole answer is written with one res.end instead of being piped
 * through a web WritableStream; a streamed answer (a client that asks for application/jsonl) is
 * still streamed.
 */
function createTrpcHttpHandler(deps: TrpcHandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse, body: string | undefined) => {
    try {
      // The origin plays no part in routing; only the path and query are read.
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = url.pathname.slice(TRPC_BASE_PATH.length);
      const headers = nodeHeaderReader(req.headers);
      const contextOf = async () => {
        // A bearer token takes precedence; the session is only read for browser calls.
        const hasBearer = headers.get("authorization")?.toLowerCase().startsWith("bearer ");
        const db = deps.db();
        return createContext({
          db,
          headers,
          sessionUserId: hasBearer ? null : await deps.sessionUserId(req),
          rateLimiter: deps.rateLimiter(db),
        });
      };
      const single = singleCallOf(appRouter, { method: req.method, path, searchParams: url.searchParams, headers, body });
      if (single) return writeAnswer(res, await answerSingleCall(single, contextOf, trpcResponseHeaders));

      const webHeaders = headersFromNode(req.headers);
      const response = await resolveResponse({
        router: appRouter,
        req: new Request(url, { method: req.method, headers: webHeaders, body, signal: acceptsJsonLines(webHeaders) ? abortOnClose(res) : undefined }),
        path,
        error: null,
        createContext: contextOf,
        responseMeta: ({ ctx }) => ({ headers: new Headers(trpcResponseHeaders(ctx)) }),
      });
      await writeResponse(res, response);
    } catch (error) {
      logger.error({ err: error, url: req.url }, "tRPC request failed outside a procedure");
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ error: { json: { message: "Internal error", code: -32603, data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } } } }));
      } else res.destroy();
    }
  };
}

function writeAnswer(res: ServerResponse, answer: SingleCallAnswer) {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/** Whether the client asks for a streamed answer (tRPC's httpBatchStreamLink sends trpc-accept). */
function acceptsJsonLines(headers: HeaderReader): boolean {
  const accept = headers.get("trpc-accept") ?? headers.get("accept");
  return accept?.includes("application/jsonl") ?? false;
}

/**
 * A signal that fires when the client goes away before the answer is complete, so tRPC stops a
 * stream nobody reads. Only streamed calls get one: no procedure reads the signal, and linking a
 * signal into every Request (undici follows it with AbortSignal.any) is a measurable share of a
 * small call's CPU.
 */
function abortOnClose(res: ServerResponse): AbortSignal {
  const abort = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  return abort.signal;
}

async function writeResponse(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body) return void res.end();
  // tRPC marks a streamed answer (JSON lines, for a client that accepts application/jsonl) chunked.
  if (response.headers.get("transfer-encoding") !== "chunked") return void res.end(Buffer.from(await response.arrayBuffer()));
  const reader = response.body.getReader();
  res.once("close", () => void reader.cancel().catch(() => undefined));
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    if (!res.write(chunk.value)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
  }
  res.end();
}
