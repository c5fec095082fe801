// Raw SQL on the connection of the current tenant transaction, past Prisma's query pipeline. Every
// Prisma call, raw ones included, goes through its query compiler (WebAssembly) and interpreter:
// on the routing path that cost more CPU than the statements themselves. The few statements of the
// hot paths (submit, outcome) therefore run on the transaction's pg connection directly, in the
// same transaction, with results typed as Prisma's pg adapter types them (int8 as bigint,
// timestamps as UTC Dates). Whenever the connection is not known (outside a tenant transaction, or
// with DATABASE_PREPARED_STATEMENTS=off, where the pg client class is not ours), the same SQL goes
// through Prisma.
//
// How the connection becomes known: the tenant transaction's first statement (setting the tenant,
// which it must run anyway) goes through Prisma, carrying a one-off link id as a parameter; our pg
// Client (prepared-statements.ts) sees that statement and files itself under the id. The statement
// ran on the transaction's connection, so the client filed is that connection, whatever else runs
// concurrently.
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Db, Tx } from "./client";
import { Prisma } from "./generated/client";

const linkStatement = (tenantId: string, link: string) =>
  Prisma.sql`SELECT set_config('arbiter.tenant_id', ${tenantId}, true), set_config('role', 'arbiter_app', true), ${link}::text AS link`;
/** The text the client sees for it ($1, $2 placeholders). */
const LINK_TEXT = linkStatement("", "").text;

// On a global: Next's server bundle can hold more than one instance of this module (the pg client
// class comes from one, the tenant scope may run in another), and both must see the same maps.
const registry = globalThis as unknown as Record<symbol, { filed: Map<string, pg.Client>; connections: WeakMap<object, pg.Client> } | undefined>;
const { filed, connections } = (registry[Symbol.for("arbiter.directSql")] ??= { filed: new Map(), connections: new WeakMap() });

/** Called by our pg Client for each statement it sends. */
export function noteStatement(client: pg.Client, text: unknown, values: unknown) {
  if (text === LINK_TEXT && Array.isArray(values) && typeof values[1] === "string") filed.set(values[1], client);
}

/** Enters the tenant scope on `tx` (the first statement of a tenant transaction) and learns its connection. */
export async function enterTenantScope(tx: Tx, tenantId: string): Promise<() => void> {
  const link = randomUUID();
  let client: pg.Client | undefined;
  try {
    await tx.$queryRaw(linkStatement(tenantId, link));
    client = filed.get(link);
  } finally {
    filed.delete(link);
  }
  if (client) connections.set(tx, client);
  return () => connections.delete(tx);
}

// A tenant transaction run without Prisma (runInDirectTenantScope in tenant-scope.ts) on a pooled
// connection: it takes direct SQL only, which the type system enforces (it has none of Prisma's
// methods). Recognised by a global symbol, not instanceof, for the same reason as the registry.
const DIRECT = Symbol.for("arbiter.directTransaction");

export interface DirectTransaction {
  readonly [DIRECT]: pg.ClientBase;
}

/** A database handle that direct SQL runs on: Prisma's (root or transaction) or a direct transaction. */
export type SqlDb = Db | DirectTransaction;

export function directTransaction(client: pg.ClientBase): DirectTransaction {
  return { [DIRECT]: client };
}

function isDirect(db: SqlDb): db is DirectTransaction {
  return DIRECT in db;
}

/** Whether statements on `db` bypass Prisma (for tests and diagnostics). */
export function runsDirect(db: SqlDb): boolean {
  return isDirect(db) || connections.has(db);
}

// Result types as Prisma's pg adapter returns them.
const UTC_TIMESTAMP = 1114;
const DATE = 1082;
const INT8 = 20;
const BYTEA = 17;
const parseBytea = pg.types.getTypeParser(BYTEA, "text") as (value: string) => Buffer;
// pg gives a Buffer; Prisma a plain Uint8Array (here a view of the same bytes).
const parseBytes = (value: string) => {
  const bytes = parseBytea(value);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8) return (value: string) => BigInt(value);
    if (oid === BYTEA) return parseBytes;
    if (oid === UTC_TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    if (oid === DATE) return (value: string) => new Date(`${value}T00:00:00Z`);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

// Prisma stores DateTime as UTC in `timestamp` columns; pg would send a Date in local time.
const toParameter = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

async function run(client: pg.ClientBase, query: Prisma.Sql) {
  return client.query({ text: query.text, values: query.values.map(toParameter), types });
}

/** Like db.$queryRaw<Rows>(query). */
export async function queryRows<Rows extends unknown[]>(db: SqlDb, query: Prisma.Sql): Promise<Rows> {
  if (isDirect(db)) return (await run(db[DIRECT], query)).rows as Rows;
  const client = connections.get(db);
  if (!client) return db.$queryRaw<Rows>(query);
  return (await run(client, query)).rows as Rows;
}

/** Like db.$executeRaw(query): the number of rows affected. */
export async function execute(db: SqlDb, query: Prisma.Sql): Promise<number> {
  if (isDirect(db)) return (await run(db[DIRECT], query)).rowCount ?? 0;
  const client = connections.get(db);
  if (!client) return db.$executeRaw(query);
  return (await run(client, query)).rowCount ?? 0;
}

// BEGIN and the tenant settings (transaction-local, like the link statement's, plus a bound on each
// statement) in one round trip: a simple query may hold several statements, but no parameters, so
// the values are escaped literals.
const beginInTenantScope = (client: pg.ClientBase, tenantId: string, statementTimeoutMs: number) =>
  `BEGIN; SELECT set_config('arbiter.tenant_id', ${client.escapeLiteral(tenantId)}, true), set_config('role', 'arbiter_app', true), ` +
  `set_config('statement_timeout', '${Math.trunc(statementTimeoutMs)}', true)`;

/**
 * Runs `work` in a tenant transaction on a connection of `pool`, without Prisma: BEGIN with the
 * tenant settings, the work's statements, COMMIT (ROLLBACK if anything fails, and the connection is
 * discarded if even that fails). Statements time out after `statementTimeoutMs`.
 */
export async function runDirectTransaction<T>(pool: pg.Pool, tenantId: string, statementTimeoutMs: number, work: (tx: DirectTransaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let unusable: Error | undefined;
  // BEGIN is not awaited before the work starts: on a pipelining client (createDb's) it goes out
  // with the work's first statement, one round trip for both, and Postgres runs them in order.
  // BEGIN and set_config cannot fail on an idle connection short of the connection breaking, which
  // fails the work's statements too (and should set_config fail, the transaction is aborted, and
  // so are they): BEGIN's error is then the one reported.
  const begun = client.query(beginInTenantScope(client, tenantId, statementTimeoutMs)).then(
    () => null,
    (error: Error) => error,
  );
  try {
    let result: T;
    try {
      result = await work(directTransaction(client));
    } catch (error) {
      throw (await begun) ?? error;
    }
    const beginError = await begun;
    if (beginError) throw beginError;
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => (unusable = rollbackError));
    throw error;
  } finally {
    client.release(unusable);
  }
}
