// The one place domain errors become tRPC errors.
import { TRPCError } from "@trpc/server";
import { DomainError } from "@/server/errors";

const CODES = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  INVALID: "BAD_REQUEST",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
} as const;

export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (cause instanceof DomainError) {
    return new TRPCError({ code: CODES[cause.kind], message: cause.message, cause });
  }
  return error;
}
