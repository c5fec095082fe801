// One unbatched query or mutation with a JSON input (what programs and the example client send),
// answered with tRPC's public call, error-shape and transform functions instead of resolveResponse.
// resolveResponse serves every kind of call (batches, streams, form data, subscriptions), and for
// that wraps each one in a web Request and Response and links three AbortSignals (AbortSignal.any,
// slow in Node); on a trivial authenticated call that machinery was ~30% of the server's CPU.
// The answer is the same, byte for byte, as resolveResponse's (tests/integration/http.int.test.ts
// compares them); any request this module does not recognise as such a call goes to resolveResponse.
import {
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  transformTRPCResponse,
  TRPCError,
  type AnyTRPCRouter,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { HeaderReader } from "@/server/observability/request";

export interface SingleCall {
  router: AnyTRPCRouter;
  path: string;
  type: "query" | "mutation";
  /** The raw JSON input: the `input` query parameter of a GET (undefined when absent or empty), the body of a POST. */
  rawInput: string | undefined;
}

export interface SingleCallAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The call, when resolveResponse would treat the request as one JSON query (GET) or mutation (POST)
 * on an existing procedure; otherwise null, and the request is resolveResponse's.
 */
export function singleCallOf(
  router: AnyTRPCRouter,
  request: { method: string | undefined; path: string; searchParams: URLSearchParams; headers: HeaderReader; body: string | undefined },
): SingleCall | null {
  const { method, path, searchParams, headers } = request;
  if (method !== "GET" && method !== "POST") return null;
  // Batches, subscriptions' connection parameters and encoded paths take the general path.
  if (searchParams.has("batch") || searchParams.has("connectionParams") || path.includes("%")) return null;
  if (headers.get("trpc-accept") !== null || headers.get("accept")?.includes("application/jsonl")) return null;
  const contentType = headers.get("content-type");
  if (contentType !== null || method === "POST") {
    if (contentType?.toLowerCase().split(";", 1)[0]?.trim() !== "application/json") return null;
  }
  if (!Object.hasOwn(router._def.procedures, path)) return null;
  const procedure = router._def.procedures[path];
  if (typeof procedure !== "function") return null;
  const type = procedure._def.type;
  // A method that does not fit the procedure gets resolveResponse's METHOD_NOT_SUPPORTED.
  if ((type === "query" && method !== "GET") || (type === "mutation" && method !== "POST") || type === "subscription") return null;
  return { router, path, type, rawInput: method === "GET" ? searchParams.get("input") || undefined : request.body };
}

/**
 * Runs the call as resolveResponse does: the context first (an error there becomes the answer), the
 * input parsed only when the procedure asks for it (so authentication fails before a bad input
 * does), errors shaped by the router's error formatter, and the status from the shaped answer.
 */
export async function answerSingleCall<Ctx extends object>(
  call: SingleCall,
  createContext: () => Promise<Ctx>,
  responseHeaders: (ctx: Ctx | undefined) => Record<string, string>,
): Promise<SingleCallAnswer> {
  const config = call.router._def._config;
  let ctx: Ctx | undefined;
  let input: { value: unknown } | undefined;
  let response;
  try {
    ctx = await createContext();
    const getRawInput = async () => {
      input ??= { value: parseInput(call, config.transformer.input.deserialize) };
      return input.value;
    };
    const data: unknown = await callTRPCProcedure({ router: call.router, path: call.path, getRawInput, ctx, type: call.type, signal: undefined, batchIndex: 0 });
    response = { result: { data } };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    response = { error: getTRPCErrorShape({ config, ctx, error, input: input?.value, path: call.path, type: call.type }) };
  }
  if ("result" in response && isDataStream(response.result.data)) {
    // resolveResponse refuses this outside the call, so its error names no path or input.
    const error = new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink" });
    response = { error: getTRPCErrorShape({ config, ctx, error, input: undefined, path: undefined, type: call.type }) };
  }
  return {
    status: getHTTPStatusCode([response]),
    headers: { vary: "trpc-accept, accept", "content-type": "application/json", ...responseHeaders(ctx) },
    body: JSON.stringify(transformTRPCResponse(config, response)),
  };
}

/** The input as tRPC reads it: absent stays undefined; bad JSON or a failed transform is BAD_REQUEST. */
function parseInput(call: SingleCall, deserialize: (value: unknown) => unknown): unknown {
  if (call.type === "query" && call.rawInput === undefined) return undefined;
  try {
    return deserialize(JSON.parse(call.rawInput ?? ""));
  } catch (cause) {
    if (cause instanceof TRPCError) throw cause;
    throw new TRPCError({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
  }
}

/** resolveResponse's test for a result only a streaming link can carry (an async iterable, or an
 *  object holding promises or async iterables). */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (Symbol.asyncIterator in value) return true;
  return Object.values(value).some((v) => isThenable(v) || (isObject(v) && Symbol.asyncIterator in v));
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isThenable(value: unknown): boolean {
  return (isObject(value) || typeof value === "function") && "then" in value && typeof value.then === "function" && "catch" in value && typeof value.catch === "function";
}
