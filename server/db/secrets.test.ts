import { afterEach, describe, expect, it } from "vitest";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureAuthSecret } from "./secrets";

const saved = process.env.NEXTAUTH_SECRET;
afterEach(() => {
  if (saved === undefined) delete process.env.NEXTAUTH_SECRET;
  else process.env.NEXTAUTH_SECRET = saved;
});

describe("ensureAuthSecret", () => {
  it("refuses to run without NEXTAUTH_SECRET outside the embedded database", async () => {
    delete process.env.NEXTAUTH_SECRET;
    await expect(ensureAuthSecret(await mkdtemp(path.join(os.tmpdir(), "sec-")), false)).rejects.toThrow(/NEXTAUTH_SECRET must be set/);
  });

  it("generates a secret into the data folder once and reuses it on restart", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "sec-"));
    delete process.env.NEXTAUTH_SECRET;
    await ensureAuthSecret(dir, true);
    const first = process.env.NEXTAUTH_SECRET;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await readFile(path.join(dir, "nextauth-secret"), "utf8")).trim()).toBe(first);
    delete process.env.NEXTAUTH_SECRET;
    await ensureAuthSecret(dir, true);
    expect(process.env.NEXTAUTH_SECRET).toBe(first);
  });
});
