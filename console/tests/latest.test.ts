import { describe, expect, it } from "vitest";
import { latestOnly } from "../src/lib/latest";

describe("latest only", () => {
  it("keeps the newest load and drops answers to older ones", () => {
    const loads = latestOnly();
    const first = loads.begin();
    expect(first()).toBe(true);
    const second = loads.begin();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });

  it("drops an older answer that arrives last", async () => {
    const loads = latestOnly();
    const shown: string[] = [];
    const load = async (filter: string, delayMs: number) => {
      const current = loads.begin();
      await new Promise((r) => setTimeout(r, delayMs));
      if (current()) shown.push(filter);
    };
    await Promise.all([load("all", 30), load("mine", 5)]);
    expect(shown).toEqual(["mine"]);
  });
});
