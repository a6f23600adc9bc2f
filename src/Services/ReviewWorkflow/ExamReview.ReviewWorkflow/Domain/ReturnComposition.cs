namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>
/// Which images a return sends back to the candidate: those marked for replacement (with the reviewer's reason), every
/// current image whose automatic check failed (with <see cref="ReplacementReasons.CheckFailed"/>: it can never get a ✓,
/// so leaving it locked would stick the case after the resubmission, whether or not the reviewer marked it), plus any
/// the request names (the older form of the call), which count as replacements without a reason of their own ("other").
/// A ✓ goes back only when its check failed afterwards (<see cref="ImageChecks.FailedAfterApproval"/>). The return and
/// its preview both ask here, so the preview shows exactly what the return will send.
/// </summary>
public static class ReturnComposition
{
    public const string NamedReason = "other";

    /// <param name="failedChecks">
    /// False for a registration-data return, which unlocks nothing (staff correct the registration; the candidate uploads
    /// nothing): a failed image stays in the case and the next return, after the correction, sends it.
    /// </param>
    public static IReadOnlyList<ImageReview> ImagesToReplace(IEnumerable<ImageReview> images, IReadOnlyCollection<Guid> named, ImageChecks checks,
        bool failedChecks = true) =>
        images.Where(i => i.Current && (i.Decision == ImageDecision.ReplacementRequested
                || failedChecks && checks.Of(i.ImageId) == ImageCheck.Failed
                || named.Contains(i.ImageId) && (i.Decision != ImageDecision.Approved || checks.FailedAfterApproval(i))))
            .Select(i => i.Decision == ImageDecision.ReplacementRequested ? i : AsReplacement(i, ReasonFor(i, checks)))
            .ToList();

    /// <summary>
    /// The reason an image the reviewer did not mark goes back with: a failed check says what is wrong (a named image
    /// that failed is told so rather than "其他"); any other named image has no reason of its own.
    /// </summary>
    public static string ReasonFor(ImageReview image, ImageChecks checks) =>
        checks.Of(image.ImageId) == ImageCheck.Failed ? ReplacementReasons.CheckFailed.Code : NamedReason;

    /// <summary>A copy of the row as the return will leave it: the preview must not change the row it reads.</summary>
    private static ImageReview AsReplacement(ImageReview i, string reasonCode) => new()
    {
        Id = i.Id, CaseId = i.CaseId, ImageId = i.ImageId, MaterialType = i.MaterialType, SubmissionNumber = i.SubmissionNumber,
        Decision = ImageDecision.ReplacementRequested, ReasonCode = reasonCode, Note = i.Note,
    };

    /// <summary>
    /// Whether a return (other than one for registration data) leaves the candidate anything to do: an image to replace
    /// (<paramref name="toReplace"/>: marked, named, failed its check, or a ✓ withdrawn), an image not yet approved (a
    /// return naming none unlocks every such image), or a required material still missing (补传: the returned application
    /// takes uploads). Otherwise every image has its final ✓ and the unlock opens nothing: the candidate reads the notice
    /// and can change nothing ("已锁定…考生无法修改图片材料"), and a returned case waits for a resubmission that answers nothing.
    /// </summary>
    public static bool LeavesSomethingToChange(IEnumerable<ImageReview> images, IReadOnlyCollection<ImageReview> toReplace, IReadOnlyCollection<string> missing) =>
        toReplace.Count > 0 || missing.Count > 0 || images.Any(i => i.Current && i.Decision != ImageDecision.Approved);
}
