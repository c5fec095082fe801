import { describe, expect, it } from "vitest";
import { generateTokenSecret, hashTokenSecret, looksLikeApiToken } from "./secret";

describe("API token secrets", () => {
  it("generates distinct, well-formed tokens whose stored hash is not the token", () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    expect(a.token).not.toBe(b.token);
    expect(looksLikeApiToken(a.token)).toBe(true);
    expect(a.token.startsWith(`${a.prefix}_`)).toBe(true);
    expect(a.tokenHash).toBe(hashTokenSecret(a.token));
    expect(a.tokenHash).not.toContain(a.token.slice(13));
  });

  it("rejects strings that are not tokens before any lookup", () => {
    expect(looksLikeApiToken("arb_short")).toBe(false);
    expect(looksLikeApiToken("Bearer arb_abcdefgh_x")).toBe(false);
  });
});
