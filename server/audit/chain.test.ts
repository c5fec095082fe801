import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, hashEntry, hashMaterialParts, verifyChain, type ChainedEntry } from "./chain";

function buildChain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      chainId: "t1",
      seq,
      tenantId: "t1",
      actorType: "user",
      actorId: "u1",
      actorLabel: "a@example.test",
      action: "api_token.created",
      targetType: "api_token",
      targetId: `tok${seq}`,
      summary: { after: { name: `n${seq}`, scopes: ["*"] } },
      requestId: `req-${seq}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
      prevHash: prev,
    };
    const entry = { ...content, hash: hashEntry(content) };
    out.push(entry);
    prev = entry.hash;
  }
  return out;
}

describe("canonicalJson", () => {
  it("orders keys at every depth so equal content serialises equally", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain and reports its head", () => {
    const chain = buildChain(5);
    expect(verifyChain(chain)).toEqual({ ok: true, entries: 5, headHash: chain[4]!.hash });
  });

  it("detects edited content", () => {
    const chain = buildChain(5);
    chain[2] = { ...chain[2]!, summary: { after: { name: "forged" } } };
    expect(verifyChain(chain)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: "content does not match its hash" });
  });

  it("detects a removed entry", () => {
    const chain = buildChain(5);
    chain.splice(1, 1);
    expect(verifyChain(chain)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it("detects an entry re-hashed after editing (the next link breaks)", () => {
    const chain = buildChain(4);
    const edited = { ...chain[1]!, actorLabel: "mallory" };
    chain[1] = { ...edited, hash: hashEntry(edited) };
    expect(verifyChain(chain)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: "previous-hash link does not match" });
  });
});

describe("hash material in parts (the database computes the hash of an append)", () => {
  it("joins to exactly the material hashEntry hashes", async () => {
    const { createHash } = await import("node:crypto");
    const content = {
      chainId: "t1",
      tenantId: "t1",
      actorType: "user",
      actorId: "u1",
      actorLabel: "Zoë <z@example.test>",
      action: "waiver.approved",
      targetType: "waiver",
      targetId: "w1",
      summary: { comment: 'says "ok" \u00e9', nested: { b: 2, a: [1, null] } },
      requestId: null,
      createdAt: new Date("2026-11-25T12:00:00.123Z"),
    };
    const prevHash = "a".repeat(64);
    const parts = hashMaterialParts(content);
    const joined = `${parts.before}"${prevHash}"${parts.middle}${17}${parts.after}`;
    expect(createHash("sha256").update(joined).digest("hex")).toBe(hashEntry({ ...content, seq: 17, prevHash }));
  });
});
