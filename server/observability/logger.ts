// Structured JSON logs (pino). Every request logs with its request id, which audit entries carry too.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "arbiter" },
  redact: { paths: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token"], remove: true },
});

/**
 * A request's logger, bound to its request id. pino's child() is made on first use only: it cost
 * ~6% of a trivial API call's CPU, and at the usual levels most calls log nothing below warn.
 */
export class RequestLog {
  private bound: pino.Logger | undefined;

  constructor(
    readonly requestId: string,
    private readonly parent: pino.Logger = logger,
  ) {}

  private get log(): pino.Logger {
    return (this.bound ??= this.parent.child({ requestId: this.requestId }));
  }

  info(fields: object, message: string) {
    if (this.parent.isLevelEnabled("info")) this.log.info(fields, message);
  }

  error(fields: object, message: string) {
    if (this.parent.isLevelEnabled("error")) this.log.error(fields, message);
  }
}
