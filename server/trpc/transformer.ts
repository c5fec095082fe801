// The API's data transformer: superjson's format, without superjson's walk where it adds nothing.
// superjson walks every value to annotate what JSON cannot carry (Dates, bigints, Maps, undefined,
// NaN, ...); for a capability query's 100 plain objects that walk was ~14% of the server's CPU per
// call. A value that is plain JSON serialises as `{ json: value }`, which is exactly what superjson
// produces for it (no `meta`), so every superjson client reads both. Anything else goes to superjson.
// (One difference: superjson refuses to serialise an object with a "__proto__" key, e.g. from a
// task's JSON payload; as plain JSON it is ordinary data, and a client's JSON.parse keeps it so.)
import superjson from "superjson";

/** True when JSON carries `value` exactly: null, booleans, strings, finite numbers other than -0,
 *  dense arrays and plain objects of those (no undefined members). */
export function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainJson(value[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false; // undefined, bigint, symbol, function
  }
}

export const transformer = {
  serialize: (value: unknown) => (isPlainJson(value) ? { json: value } : superjson.serialize(value)),
  deserialize: <T>(payload: Parameters<typeof superjson.deserialize>[0]) => superjson.deserialize<T>(payload),
};
