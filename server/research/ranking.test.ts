import { describe, expect, it } from "vitest";
import { canonicalUrl, rankResults } from "./ranking";

const r = (url: string, extra: Partial<{ title: string; publishedAt: string | null }> = {}) => ({ title: extra.title ?? url, url, snippet: "", publishedAt: extra.publishedAt ?? null, source: null });
const now = new Date("2026-11-25T00:00:00Z");

describe("research result ranking", () => {
  it("canonicalises URLs so the same page from two providers counts once", () => {
    expect(canonicalUrl("https://WWW.Example.com/a/?utm_source=x&b=2&a=1#frag")).toBe("https://example.com/a?a=1&b=2");
    expect(canonicalUrl("ftp://example.com/x")).toBeNull();
    const ranked = rankResults(
      [
        { provider: "brave", results: [r("https://www.example.com/page/"), r("https://other.test/x")] },
        { provider: "google", results: [r("https://example.com/page?utm_campaign=y")] },
      ],
      { allow: [], deny: [], weights: {} },
      now,
    );
    expect(ranked.map((x) => x.canonicalUrl)).toEqual(["https://example.com/page", "https://other.test/x"]);
  });

  it("drops denied domains, favours allowed and fresh sources, and labels quality", () => {
    const ranked = rankResults(
      [
        {
          provider: "searxng",
          results: [
            r("https://spam.test/1"),
            r("https://blog.test/old", { publishedAt: "2020-01-01" }),
            r("https://docs.trusted.test/guide"),
            r("https://news.test/today", { publishedAt: "2026-11-20" }),
          ],
        },
      ],
      { allow: ["trusted.test"], deny: ["spam.test"], weights: { "blog.test": 0.5 } },
      now,
    );
    expect(ranked.map((x) => x.domain)).toEqual(["docs.trusted.test", "news.test", "blog.test"]);
    expect(ranked.map((x) => x.quality)).toEqual(["high", "medium", "low"]);
    expect(ranked.map((x) => x.rank)).toEqual([1, 2, 3]);
  });
});
