// A programmatic client that submits tasks to Arbiter and, playing the agents' part, reports each
// task's outcome — the loop through which the router learns.
//
//   ARBITER_URL=http://localhost:3000 ARBITER_TOKEN=arb_... npx tsx examples/route-tasks.ts \
//     --type code-review --count 20 --quality alpha=0.9,beta=0.4
//
// --quality gives each agent's simulated quality (0..1); a task succeeds when its quality is >= 0.5.
// Agents not listed get 0.7. It prints where each task went and a per-agent summary.
import { parseArgs } from "node:util";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../server/trpc/root";

const { values } = parseArgs({
  options: {
    type: { type: "string", default: "code-review" },
    count: { type: "string", default: "10" },
    quality: { type: "string", default: "" },
    language: { type: "string", multiple: true, default: [] },
  },
});

const token = process.env.ARBITER_TOKEN;
if (!token) {
  console.error("Set ARBITER_TOKEN to an API token with tasks:write (Settings → API tokens).");
  process.exit(2);
}

const arbiter = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: `${process.env.ARBITER_URL ?? "http://localhost:3000"}/api/trpc`,
      transformer: superjson,
      headers: { authorization: `Bearer ${token}` },
    }),
  ],
});

const qualityByAgent = new Map(
  values.quality
    .split(",")
    .filter(Boolean)
    .map((pair) => {
      const [name, q] = pair.split("=");
      return [name!.trim(), Number(q)] as const;
    }),
);

async function main() {
  const summary = new Map<string, { tasks: number; successes: number }>();
  for (let i = 0; i < Number(values.count); i++) {
    const { taskId, routing } = await arbiter.tasks.submit.mutate({
      taskType: values.type,
      languages: values.language,
      payload: { example: true, n: i },
    });
    if (routing.result !== "assigned") {
      console.log(`task ${taskId}: ${routing.result} — ${routing.reason}`);
      continue;
    }
    const quality = qualityByAgent.get(routing.agentName!) ?? 0.7;
    const success = quality >= 0.5;
    await arbiter.tasks.reportProgress.mutate({ taskId, progress: 0.5, message: "working" });
    await arbiter.tasks.reportOutcome.mutate({ taskId, success, quality, latencyMs: 200 + i * 10 });
    const s = summary.get(routing.agentName!) ?? { tasks: 0, successes: 0 };
    summary.set(routing.agentName!, { tasks: s.tasks + 1, successes: s.successes + (success ? 1 : 0) });
    console.log(`task ${taskId}: ${routing.agentName}${routing.explored ? " (explored)" : ""}, decision ${routing.decisionId}, ${success ? "succeeded" : "failed"} q=${quality}`);
  }
  for (const [agent, s] of summary) console.log(`summary ${agent}: ${s.tasks} tasks, ${s.successes} succeeded`);
}

main().catch((error: unknown) => {
  console.error(error instanceof TRPCClientError ? `Arbiter refused the call: ${error.message} (${error.data?.code ?? "no code"})` : error);
  process.exit(1);
});
