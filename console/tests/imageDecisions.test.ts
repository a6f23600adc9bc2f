import { describe, expect, it } from "vitest";
import { canApprove, canRequestReplacement, checkFailed, failedAfterApproval } from "../src/lib/imageDecisions";

describe("per-image decisions on the case page", () => {
  it("offers both decisions for an image not yet approved whose check did not fail", () => {
    for (const check of [undefined, null, "Pending", "Passed", "NotTracked"]) {
      expect(canApprove({ decision: "Pending", check })).toBe(true);
      expect(canRequestReplacement({ decision: "Pending", check })).toBe(true);
      expect(canRequestReplacement({ decision: "ReplacementRequested", check })).toBe(true);
      expect(checkFailed({ decision: "Pending", check })).toBe(false);
    }
  });

  it("offers only a replacement for an image not yet approved whose check failed: the API refuses its ✓", () => {
    for (const decision of ["Pending", "ReplacementRequested"]) {
      const image = { decision, check: "Failed" };
      expect(checkFailed(image)).toBe(true);
      expect(canApprove(image)).toBe(false);
      expect(canRequestReplacement(image)).toBe(true);
      expect(failedAfterApproval(image)).toBe(false);
    }
  });

  it("offers nothing for an approved image whose check passed: a ✓ is final", () => {
    for (const check of [undefined, null, "Passed", "NotTracked"]) {
      const image = { decision: "Approved", check };
      expect(canApprove(image)).toBe(false);
      expect(canRequestReplacement(image)).toBe(false);
      expect(failedAfterApproval(image)).toBe(false);
    }
  });

  it("offers a replacement, never another ✓, for an approved image whose check failed afterwards", () => {
    const image = { decision: "Approved", check: "Failed" };
    expect(failedAfterApproval(image)).toBe(true);
    expect(canRequestReplacement(image)).toBe(true);
    expect(canApprove(image)).toBe(false);
  });

  it("offers nothing without an image", () => {
    expect(canApprove(null)).toBe(false);
    expect(canRequestReplacement(undefined)).toBe(false);
  });
});
