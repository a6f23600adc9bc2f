namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>
/// Which images a return sends back to the candidate: those marked for replacement, plus any the request names (the
/// older form of the call), which count as replacements without a reason of their own ("other"). A named image with a
/// ✓ goes back only when its check failed afterwards (<see cref="ImageChecks.FailedAfterApproval"/>). The return and its
/// preview both ask here, so the preview shows exactly what the return will send.
/// </summary>
public static class ReturnComposition
{
    public const string NamedReason = "other";

    public static IReadOnlyList<ImageReview> ImagesToReplace(IEnumerable<ImageReview> images, IReadOnlyCollection<Guid> named, ImageChecks checks) =>
        images.Where(i => i.Current && (i.Decision == ImageDecision.ReplacementRequested
                || named.Contains(i.ImageId) && (i.Decision != ImageDecision.Approved || checks.FailedAfterApproval(i))))
            .Select(i => i.Decision == ImageDecision.ReplacementRequested ? i : new ImageReview
            {
                Id = i.Id, CaseId = i.CaseId, ImageId = i.ImageId, MaterialType = i.MaterialType, SubmissionNumber = i.SubmissionNumber,
                Decision = ImageDecision.ReplacementRequested, ReasonCode = NamedReason, Note = i.Note,
            })
            .ToList();

    /// <summary>
    /// Whether a return (other than one for registration data) leaves the candidate anything to do: an image to replace
    /// (<paramref name="toReplace"/>: marked, named, or a ✓ withdrawn), an image not yet approved (a return naming none
    /// unlocks every such image), or a required material still missing (补传: the returned application takes uploads).
    /// Otherwise every image has its final ✓ and the unlock opens nothing: the candidate reads the notice and can change
    /// nothing ("已锁定…考生无法修改图片材料"), and a returned case waits for a resubmission that answers nothing.
    /// </summary>
    public static bool LeavesSomethingToChange(IEnumerable<ImageReview> images, IReadOnlyCollection<ImageReview> toReplace, IReadOnlyCollection<string> missing) =>
        toReplace.Count > 0 || missing.Count > 0 || images.Any(i => i.Current && i.Decision != ImageDecision.Approved);
}
