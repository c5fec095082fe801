// Next.js runs register() once per server process before it serves requests (not during build).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("./server/db/bootstrap");
  try {
    await bootstrap();
  } catch (error) {
    // A server that cannot reach its database, migrate it, or find its secrets must not serve.
    console.error(`Arbiter cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
