import { describe, expect, it } from "vitest";
import { formatCapabilityList, parseCapabilityList } from "./capability-text";

describe("capability lists as typed by operators", () => {
  it("parses names with optional proficiencies and round-trips", () => {
    const parsed = parseCapabilityList(" code-review:0.9, testing ,, docs:1");
    expect(parsed).toEqual([
      { name: "code-review", proficiency: 0.9 },
      { name: "testing", proficiency: null },
      { name: "docs", proficiency: 1 },
    ]);
    expect(formatCapabilityList(parsed)).toBe("code-review:0.9, testing, docs:1");
  });

  it("keeps a malformed proficiency as NaN so validation reports it", () => {
    expect(Number.isNaN(parseCapabilityList("x:high")[0]!.proficiency)).toBe(true);
  });
});
