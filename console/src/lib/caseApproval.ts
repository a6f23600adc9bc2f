// Whether the application can be approved as far as the images' automatic checks go, decided as the API decides it
// (ImageChecks.RefuseUnpassed in ReviewWorkflow): while any current image's check failed or has no verdict yet, 考点通过
// and 审核通过 are refused (409 image_check_failed / image_check_pending). The page keeps the button unavailable and says
// why beforehand instead of offering a click that can only be refused. A failed check is named first, as the API names
// it: waiting will not help it, only a return with the image to replace can. Passed and NotTracked (a verdict from
// before ReviewWorkflow kept them) let the application pass. The case's images are its current ones.

import type { ImageDecisionFacts } from "./imageDecisions";

export interface CheckHold {
  code: "image_check_failed" | "image_check_pending";
  /** Where the images are in the case, counted from 1 as the image header and the thumbnails count them. */
  places: number[];
  /** A short reason for the reviewer, in Chinese. */
  reason: string;
}

// Every answer that shows a case's images fills each one's check (Pending until the verdict is known). An answer
// without it says nothing about the checks: the button stays offered and the API decides, rather than held for ever.
const placesWhere = (images: readonly ImageDecisionFacts[], check: string): number[] =>
  images.flatMap((image, i) => (image.check === check ? [i + 1] : []));

/** Whether any image still waits for its verdict: the page looks again until it arrives. */
export const anyCheckPending = (images: readonly ImageDecisionFacts[]): boolean => images.some((image) => image.check === "Pending");

/** Why the application cannot be approved yet because of the images' checks, or null when none holds it back. */
export function checkHold(images: readonly ImageDecisionFacts[]): CheckHold | null {
  const failed = placesWhere(images, "Failed");
  if (failed.length > 0) {
    return { code: "image_check_failed", places: failed, reason: `第 ${failed.join("、")} 张图片检测未通过，须退回修改` };
  }
  const waiting = placesWhere(images, "Pending");
  if (waiting.length > 0) {
    return { code: "image_check_pending", places: waiting, reason: `第 ${waiting.join("、")} 张图片仍在检测中，请稍候` };
  }
  return null;
}

/**
 * The images a return sends back beside those marked 要求重传, decided by the API (ReturnComposition.ImagesToReplace):
 * every one whose check failed and is not marked yet (approved ones included: their ✓ is withdrawn), with the reason
 * 图片检测未通过. The return dialog lists them; it sends no image ids for them.
 */
export const failedNotMarked = <T extends ImageDecisionFacts>(images: readonly T[]): T[] =>
  images.filter((image) => image.check === "Failed" && image.decision !== "ReplacementRequested");
