import { describe, expect, it } from "vitest";
import { moveIndex, shortcutFor } from "../src/lib/shortcuts";

describe("case page shortcuts", () => {
  it("maps keys to actions, letters in either case", () => {
    expect(shortcutFor({ key: "ArrowRight" })).toBe("nextImage");
    expect(shortcutFor({ key: "j" })).toBe("nextImage");
    expect(shortcutFor({ key: "ArrowLeft" })).toBe("previousImage");
    expect(shortcutFor({ key: "K" })).toBe("previousImage");
    expect(shortcutFor({ key: "a" })).toBe("approveImage");
    expect(shortcutFor({ key: "A" })).toBe("approveImage");
    expect(shortcutFor({ key: "r" })).toBe("requestReplacement");
    expect(shortcutFor({ key: "f" })).toBe("fitImage");
    expect(shortcutFor({ key: "o" })).toBe("rotateImage");
    expect(shortcutFor({ key: "x" })).toBeNull();
  });

  it("ignores keys while typing and with modifiers held", () => {
    expect(shortcutFor({ key: "a", target: { tagName: "textarea" } })).toBeNull();
    expect(shortcutFor({ key: "a", target: { tagName: "INPUT" } })).toBeNull();
    expect(shortcutFor({ key: "r", target: { tagName: "DIV", isContentEditable: true } })).toBeNull();
    expect(shortcutFor({ key: "a", ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: "r", metaKey: true })).toBeNull();
    expect(shortcutFor({ key: "a", target: { tagName: "DIV" } })).toBe("approveImage");
  });

  it("moves within the image list without wrapping", () => {
    expect(moveIndex(0, 7, 1)).toBe(1);
    expect(moveIndex(6, 7, 1)).toBe(6);
    expect(moveIndex(0, 7, -1)).toBe(0);
    expect(moveIndex(3, 7, -1)).toBe(2);
    expect(moveIndex(0, 0, 1)).toBe(0);
  });
});
