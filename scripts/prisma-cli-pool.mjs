// A pg.Pool for the Prisma CLI only. Prisma's WebAssembly schema engine does not understand
// Postgres `name` columns (OID 19) or `name[]` (OID 1003) (prisma/orm#27403), so they are
// reported as text (25) and text[] (1009).
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const OID_REWRITES = new Map([
  [19, 25],
  [1003, 1009],
  [18, 25], // "char" (pg_catalog flags read by introspection)
]);

function rewriteFields(result) {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of r?.fields ?? []) {
      const replacement = OID_REWRITES.get(field.dataTypeID);
      if (replacement !== undefined) field.dataTypeID = replacement;
    }
  }
  return result;
}

export class NameOidFixPool extends pg.Pool {
  query(...args) {
    const callback = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    const promise = super.query(...args).then(rewriteFields);
    if (!callback) return promise;
    promise.then((r) => callback(null, r), (e) => callback(e));
    return undefined;
  }
}

// The pg adapter's executeScript splits a migration on every ";", which breaks any function body
// or string that contains one. A migration is sent whole instead, as one simple-protocol query
// (Postgres runs a multi-statement simple query in one implicit transaction).
export class WholeScriptPrismaPg extends PrismaPg {
  async connect() {
    const adapter = await super.connect();
    return wrapExecuteScript(adapter);
  }

  async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    return wrapExecuteScript(adapter);
  }
}

function wrapExecuteScript(adapter) {
  adapter.executeScript = async function executeScript(script) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  return adapter;
}
