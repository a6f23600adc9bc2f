// Which per-image decisions the case page offers, decided as the API decides them (ReviewCase in ReviewWorkflow):
// a ✓ is final, so an approved image offers neither — except an approved image whose automatic check failed after its
// ✓ (malware found by newer signatures): its case cannot pass past it, and asking for its replacement withdraws the ✓.
// An image whose check failed gets no ✓ (the API refuses it: image_check_failed); a pending check still offers it, since
// the page may show a verdict late and the API's refusal says why.

export interface ImageDecisionFacts {
  decision: string;
  check?: string | null;
}

/** The image has a ✓ but its check failed afterwards: only a replacement can follow. */
export const failedAfterApproval = (image: ImageDecisionFacts | null | undefined): boolean =>
  image?.decision === "Approved" && image.check === "Failed";

/** The image's automatic check failed (before or after any ✓). */
export const checkFailed = (image: ImageDecisionFacts | null | undefined): boolean => image?.check === "Failed";

/** Whether "✓ 通过" is offered: never again for an approved image, never for one whose check failed. */
export const canApprove = (image: ImageDecisionFacts | null | undefined): boolean =>
  image != null && image.decision !== "Approved" && !checkFailed(image);

/** Whether "要求重传" is offered: for any image not approved, and for one whose check failed after its ✓. */
export const canRequestReplacement = (image: ImageDecisionFacts | null | undefined): boolean =>
  image != null && (image.decision !== "Approved" || failedAfterApproval(image));
