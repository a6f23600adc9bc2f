import { describe, expect, it } from "vitest";
import { canApprove, canRequestReplacement, failedAfterApproval } from "../src/lib/imageDecisions";

describe("per-image decisions on the case page", () => {
  it("offers both decisions for an image not yet approved, whatever its check", () => {
    for (const check of [undefined, null, "Pending", "Passed", "Failed", "NotTracked"]) {
      expect(canApprove({ decision: "Pending", check })).toBe(true);
      expect(canRequestReplacement({ decision: "Pending", check })).toBe(true);
      expect(canRequestReplacement({ decision: "ReplacementRequested", check })).toBe(true);
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
