import { describe, expect, it } from "vitest";
import { axisTicks } from "../src/lib/chartScale";

describe("the bar charts' value axis", () => {
  it("reaches the largest bar: 1.1 minutes (90th percentile) no longer stands above a top tick of 1", () => {
    expect(axisTicks(1.1)).toEqual([0, 0.5, 1, 1.5]);
  });

  it("keeps round steps and ends at the first tick at or above the largest value", () => {
    expect(axisTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(axisTicks(8)).toEqual([0, 2, 4, 6, 8]);
    expect(axisTicks(28.6)).toEqual([0, 10, 20, 30]);
    expect(axisTicks(0)).toEqual([0, 0.5, 1]);
  });

  it("ends at or above the maximum for any value", () => {
    for (const max of [0.3, 1.01, 3.7, 12, 99.9, 101, 4321]) {
      const ticks = axisTicks(max);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });
});
