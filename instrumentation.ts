// Next.js runs register() once per server process before it serves requests (not during build):
// the bootstrap, then the API handler that server/http/serve.mjs mounts at /api/trpc.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrapOrExit } = await import("./server/db/bootstrap");
  await bootstrapOrExit();
  const { publishApiHandler } = await import("./server/http/api-handler");
  publishApiHandler();
}
