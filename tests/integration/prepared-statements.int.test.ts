import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createDb } from "@/server/db/client";

describe("named prepared statements", () => {
  const db = createDb(inject("databaseUrl"), 1); // one connection: every statement lands in one session
  afterAll(() => db.$disconnect());

  const preparedInSession = () =>
    db.$queryRaw<{ statement: string; calls: bigint }[]>`
      SELECT statement, generic_plans + custom_plans AS calls FROM pg_prepared_statements WHERE statement LIKE '%prepared-statements probe%'`;

  it("parses a parameterised statement once per connection and reuses it, with the right results", async () => {
    const probe = (n: number) => db.$queryRaw<{ doubled: number }[]>`SELECT ${n}::int * 2 AS doubled -- prepared-statements probe`;
    expect((await probe(2))[0]!.doubled).toBe(4);
    expect((await probe(21))[0]!.doubled).toBe(42);
    expect((await probe(5))[0]!.doubled).toBe(10);
    const prepared = await preparedInSession();
    // One statement (the probe; the pg_prepared_statements query is one too, but does not match itself
    // until its second run), executed three times.
    expect(prepared.filter((p) => p.statement.includes("::int * 2"))).toEqual([expect.objectContaining({ calls: 3n })]);
  });

  it("keeps results right across transactions and a failed statement on the same connection", async () => {
    await expect(db.$queryRaw`SELECT ${"x"}::int AS broken -- prepared-statements probe`).rejects.toThrow();
    const rows = await db.$transaction(async (tx) => tx.$queryRaw<{ v: string }[]>`SELECT ${"kept"}::text AS v -- prepared-statements probe`);
    expect(rows).toEqual([{ v: "kept" }]);
    expect(await db.$queryRaw`SELECT ${"x"}::int AS broken -- prepared-statements probe`.catch((e: Error) => e.message)).toMatch(/invalid input syntax/);
  });
});
