// CPU time spent by the server process and by Postgres (all its processes) over a scenario, read
// from /proc. Divided by the requests served, it is the cost of a request, which varies far less
// between runs than throughput does on a shared machine (other tenants of the host take cores).
import { readFileSync, readdirSync } from "node:fs";

const MS_PER_TICK = 10; // USER_HZ is 100 on Linux

function ticksOf(pid: string): { comm: string; group: number; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // pgrp; utime + stime, plus cutime + cstime: the CPU of children that have exited (Postgres
    // backends whose connection closed), which would otherwise vanish from the sum mid-scenario.
    return { comm, group: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null; // gone, or no /proc
  }
}

export interface CpuSample {
  serverMs: number;
  postgresMs: number;
}

/** `serverPid` leads its process group (the bench starts it detached): its workers count too. */
export function sampleCpu(serverPid: number): CpuSample {
  let postgres = 0;
  let server = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    const t = ticksOf(pid);
    if (t?.comm === "postgres") postgres += t.ticks;
    else if (t?.group === serverPid) server += t.ticks;
  }
  return { serverMs: server * MS_PER_TICK, postgresMs: postgres * MS_PER_TICK };
}

export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number) {
  const per = (ms: number) => (requests > 0 ? Math.round((ms / requests) * 1000) / 1000 : NaN);
  return { serverMs: per(after.serverMs - before.serverMs), postgresMs: per(after.postgresMs - before.postgresMs) };
}
