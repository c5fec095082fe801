// Typed domain errors. Domain code throws these; server/trpc/errors.ts maps them to tRPC codes.

export abstract class DomainError extends Error {
  abstract readonly kind: "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "UNAUTHORIZED" | "INVALID" | "TOO_MANY_REQUESTS";
  constructor(
    message: string,
    /** Field-level messages, keyed by the input field they belong to. */
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  readonly kind = "NOT_FOUND" as const;
}

export class Conflict extends DomainError {
  readonly kind = "CONFLICT" as const;
}

export class Forbidden extends DomainError {
  readonly kind = "FORBIDDEN" as const;
}

export class Unauthorized extends DomainError {
  readonly kind = "UNAUTHORIZED" as const;
}

export class InvalidInput extends DomainError {
  readonly kind = "INVALID" as const;
}

export class TooManyRequests extends DomainError {
  readonly kind = "TOO_MANY_REQUESTS" as const;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
