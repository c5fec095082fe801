import { describe, expect, it, vi } from "vitest";
import { Writable } from "node:stream";
import pino from "pino";
import { RequestLog } from "./logger";

function capturingLogger(level: pino.Level) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
      done();
    },
  });
  return { parent: pino({ level }, sink), lines };
}

describe("RequestLog", () => {
  it("logs with the request id, making pino's child only when a line is written", async () => {
    const { parent, lines } = capturingLogger("warn");
    const child = vi.spyOn(parent, "child");
    const log = new RequestLog("req-1", parent);
    log.info({ path: "tenant.whoami" }, "trpc ok");
    expect(child).not.toHaveBeenCalled();
    log.error({ path: "tasks.submit" }, "trpc failed");
    log.error({ path: "tasks.cancel" }, "trpc failed");
    await new Promise((resolve) => setImmediate(resolve));
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.requestId, l.msg, l.path])).toEqual([
      ["req-1", "trpc failed", "tasks.submit"],
      ["req-1", "trpc failed", "tasks.cancel"],
    ]);
  });

  it("writes info lines when the level allows them", async () => {
    const { parent, lines } = capturingLogger("info");
    new RequestLog("req-2", parent).info({ ms: 1.5 }, "trpc ok");
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toMatchObject([{ requestId: "req-2", msg: "trpc ok", ms: 1.5 }]);
  });
});
