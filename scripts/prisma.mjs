#!/usr/bin/env node
// Runs the Prisma CLI without any engine binary: the CLI still looks for a query-engine
// library unless PRISMA_QUERY_ENGINE_LIBRARY names an existing file (it is never loaded).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const preload = fileURLToPath(new URL("./unref-timers.cjs", import.meta.url));

export function runPrisma(args, { env = process.env, stdio = "inherit" } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", preload, cli, ...args], {
      stdio,
      env: {
        ...env,
        PRISMA_QUERY_ENGINE_LIBRARY: env.PRISMA_QUERY_ENGINE_LIBRARY ?? cli,
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`prisma ${args.join(" ")} exited with ${code}\n${output}`)),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runPrisma(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
