// Next.js runs register() once per server process before it serves requests (not during build).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrapOrExit } = await import("./server/db/bootstrap");
  await bootstrapOrExit();
}
