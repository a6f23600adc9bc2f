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
}
