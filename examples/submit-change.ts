// A programmatic client that submits a code change as a task under a CAWS working spec: Arbiter
// checks it against the tenant's policy before any agent gets it, and answers allow (routed at
// once), needs_waiver (it waits; a waiver approved in the dashboard lets it proceed) or deny.
//
//   ARBITER_URL=http://localhost:3000 ARBITER_TOKEN=arb_... npx tsx examples/submit-change.ts \
//     --type refactor --spec FEAT-0100 --files 105 --coverage 0.9
//
// Add --wait to poll until the task leaves awaiting_waiver (for example once a waiver is approved).
import { parseArgs } from "node:util";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/trpc/root";

const { values } = parseArgs({
  options: {
    type: { type: "string", default: "refactor" },
    spec: { type: "string" },
    files: { type: "string", default: "3" },
    dir: { type: "string", default: "src/billing" },
    coverage: { type: "string", default: "0.9" },
    mutation: { type: "string", default: "0.6" },
    wait: { type: "boolean", default: false },
  },
});

const token = process.env.ARBITER_TOKEN;
if (!token) {
  console.error("Set ARBITER_TOKEN to an API token with tasks:write (Settings → API tokens).");
  process.exit(2);
}

const arbiter = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: `${process.env.ARBITER_URL ?? "http://localhost:3000"}/api/trpc`, transformer: superjson, headers: { authorization: `Bearer ${token}` } })],
});

async function main() {
  const files = Array.from({ length: Number(values.files) }, (_, i) => `${values.dir}/module-${i}.ts`);
  const { taskId, constitution, routing } = await arbiter.tasks.submit.mutate({
    taskType: values.type,
    specId: values.spec,
    change: {
      files,
      linesAdded: files.length * 12,
      linesRemoved: files.length * 4,
      evidence: { coverage: Number(values.coverage), mutationScore: Number(values.mutation), testsPassed: true, lintPassed: true, securityScan: "pass", contractTestsPassed: true },
    },
    payload: { description: `change touching ${files.length} files` },
  });
  console.log(`task ${taskId}: verdict ${constitution.verdict} (decision ${constitution.decisionId})`);
  for (const f of constitution.failed) console.log(`  ${f.rule} [${f.gate}] -> ${f.outcome}: ${f.message}`);
  console.log(`routing: ${routing.result}${routing.agentName ? ` to ${routing.agentName}` : ""}`);
  if (!values.wait || constitution.verdict !== "needs_waiver") return;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const task = await arbiter.tasks.get.query({ taskId });
    if (task.status !== "awaiting_waiver") {
      console.log(`task ${taskId}: now ${task.status}${task.agentName ? ` on ${task.agentName}` : ""}`);
      return;
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof TRPCClientError ? `Arbiter refused the call: ${error.message} (${error.data?.code ?? "no code"})` : error);
  process.exit(1);
});
