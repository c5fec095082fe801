import { describe, expect, it } from "vitest";
import fc from "fast-check";
import superjson from "superjson";
import { isPlainJson, transformer } from "./transformer";

describe("API data transformer", () => {
  it("writes exactly superjson's output for any plain JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        let expected: string;
        try {
          expected = JSON.stringify(superjson.serialize(value));
        } catch {
          return; // superjson refuses "__proto__" keys; plain JSON carries them as ordinary data
        }
        expect(JSON.stringify(transformer.serialize(value))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips anything as superjson does", () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withMap: true, withSet: true, withBigInt: true, withNullPrototype: true, withSparseArray: true }), (value) => {
        let theirs: unknown;
        try {
          theirs = superjson.deserialize(JSON.parse(JSON.stringify(superjson.serialize(value))) as Parameters<typeof superjson.deserialize>[0]);
        } catch {
          return; // as above
        }
        const ours = superjson.deserialize(JSON.parse(JSON.stringify(transformer.serialize(value))) as Parameters<typeof superjson.deserialize>[0]);
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 500 },
    );
  });

  it("leaves to superjson what JSON cannot carry", () => {
    const notPlain = [new Date(0), 1n, undefined, NaN, Infinity, -0, new Map(), new Set(), { a: undefined }, { nested: [new Date(0)] }, [1, , 3], new (class Point { x = 1 })()];
    for (const value of notPlain) expect(isPlainJson(value), String(value)).toBe(false);
    const when = new Date("2026-11-25T12:00:00Z");
    expect(transformer.deserialize<{ when: Date }>(transformer.serialize({ when }) as Parameters<typeof superjson.deserialize>[0]).when).toEqual(when);
    expect(isPlainJson({ total: 3, matches: [{ agentId: "a", matchScore: 0.9, successRate: null, reason: "type x 0.9" }] })).toBe(true);
  });
});
