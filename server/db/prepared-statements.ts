// Named prepared statements under Prisma. Prisma's pg adapter sends every statement unnamed, so
// Postgres parses, analyses and plans it on every execution; on the routing path that was about a
// third of Postgres's CPU. This pg Client gives each distinct parameterised SQL text a stable name:
// pg parses it once per connection and afterwards sends only Bind/Execute, and Postgres reuses the
// parse tree (and, once it judges a generic plan good enough, the plan). Plans are invalidated by
// Postgres itself when a table or role they depend on changes.
//
// Only statements with parameters are named (BEGIN, COMMIT and the like gain nothing), and at most
// MAX_NAMED_STATEMENTS distinct texts per process, so generated SQL of varying shape cannot grow
// every connection's statement cache without bound. Behind a pooler in transaction mode (PgBouncer
// before 1.21) named statements break: set DATABASE_PREPARED_STATEMENTS=off there.
import pg from "pg";
import { noteStatement } from "./direct-sql";

export const MAX_NAMED_STATEMENTS = 2_000;
const names = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
    name = `arbiter_${names.size}`;
    names.set(text, name);
  }
  return name;
}

interface QueryConfigLike {
  text?: unknown;
  name?: unknown;
  values?: unknown;
}

function named(config: unknown): unknown {
  if (typeof config !== "object" || config === null) return config;
  const c = config as QueryConfigLike;
  if (typeof c.text !== "string" || c.name !== undefined || !Array.isArray(c.values) || c.values.length === 0) return config;
  const name = statementName(c.text);
  return name ? { ...c, name } : config;
}

export class PreparingClient extends pg.Client {}

// Looked up per call, not captured, so that instrumentation of pg.Client (tests count statements) sees these too.
PreparingClient.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
  if (typeof config === "object" && config !== null) noteStatement(this, (config as QueryConfigLike).text, (config as QueryConfigLike).values);
  return Reflect.apply(pg.Client.prototype.query, this, [named(config), ...rest]);
} as unknown as pg.Client["query"];

export function preparedStatementsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DATABASE_PREPARED_STATEMENTS !== "off";
}
