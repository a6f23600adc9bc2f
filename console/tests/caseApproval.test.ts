import { describe, expect, it } from "vitest";
import { anyCheckPending, checkHold, failedNotMarked } from "../src/lib/caseApproval";

const image = (check: string | null | undefined, decision = "Approved") => ({ decision, check });

describe("the application's approval and the images' automatic checks", () => {
  it("holds nothing back when every image passed (or was decided before verdicts were kept)", () => {
    expect(checkHold([image("Passed"), image("NotTracked"), image("Passed", "Pending")])).toBeNull();
    expect(checkHold([])).toBeNull();
  });

  it("holds the approval back while an image's check failed, naming its place in the case", () => {
    const hold = checkHold([image("Passed"), image("Failed", "Pending"), image("Passed")]);
    expect(hold).toEqual({ code: "image_check_failed", places: [2], reason: "第 2 张图片检测未通过，须退回修改" });
  });

  it("holds it back for a check that failed after the image's ✓ too", () => {
    expect(checkHold([image("Failed", "Approved")])?.code).toBe("image_check_failed");
  });

  it("names a failed check before a pending one, as the API does: waiting will not help it", () => {
    const hold = checkHold([image("Pending", "Pending"), image("Failed", "ReplacementRequested"), image("Failed", "Pending")]);
    expect(hold?.code).toBe("image_check_failed");
    expect(hold?.places).toEqual([2, 3]);
    expect(hold?.reason).toBe("第 2、3 张图片检测未通过，须退回修改");
  });

  it("holds it back while a check is still running, and says to wait", () => {
    const images = [image("Passed"), image("Passed"), image("Pending", "Pending")];
    expect(checkHold(images)).toEqual({ code: "image_check_pending", places: [3], reason: "第 3 张图片仍在检测中，请稍候" });
    expect(anyCheckPending(images)).toBe(true);
  });

  it("leaves the decision to the API when an answer carries no check at all", () => {
    const images = [image(undefined), image(null, "Pending")];
    expect(checkHold(images)).toBeNull();
    expect(anyCheckPending(images)).toBe(false);
  });
});

describe("the images a return sends back beside those marked 要求重传 (listed by the return dialog)", () => {
  it("lists each failed image not marked yet, approved ones included, and none that passed or is marked", () => {
    const unreviewed = { imageId: "a", ...image("Failed", "Pending") };
    const approved = { imageId: "b", ...image("Failed", "Approved") };
    const marked = { imageId: "c", ...image("Failed", "ReplacementRequested") };
    const passed = { imageId: "d", ...image("Passed", "Pending") };
    const pending = { imageId: "e", ...image("Pending", "Pending") };
    expect(failedNotMarked([unreviewed, approved, marked, passed, pending]).map((i) => i.imageId)).toEqual(["a", "b"]);
  });
});
