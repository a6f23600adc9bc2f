namespace ExamReview.ReviewWorkflow.Domain;

public enum ImageDecision
{
    Pending = 0,
    Approved = 1,
    ReplacementRequested = 2,
}

/// <summary>
/// A reviewer's decision on one image of a case. Rows are kept when an image leaves the submission
/// (replaced by the candidate), so the history of a case stays readable; <see cref="Current"/> marks the
/// images of the latest submission.
/// </summary>
public sealed class ImageReview
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public Guid ImageId { get; set; }
    public string? MaterialType { get; set; }
    public int SubmissionNumber { get; set; }
    public bool Current { get; set; } = true;
    public ImageDecision Decision { get; set; }
    public string? ReasonCode { get; set; }
    public string? Note { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>For an image that came back after a return: the image it replaces (null when the same image was resubmitted).</summary>
    public Guid? ReplacesImageId { get; set; }
    public ImageDecision? PreviousDecision { get; set; }
    public string? PreviousReasonCode { get; set; }
    public string? PreviousNote { get; set; }

    /// <summary>
    /// Continuous mode: an image that joined the case while it was returned (uploaded while the return was on its way,
    /// <see cref="ReviewCase.TakeUpload"/>) keeps the case's <see cref="ReviewCase.ReturnCount"/> then, the return whose
    /// next round reviews it and counts it among the images that came in (<see cref="ReviewCase.TakeResubmission"/>).
    /// Null: it came with a submission, or while the case was in review.
    /// </summary>
    public int? ArrivedInReturn { get; set; }
}

public sealed record ReplacementReason(string Code, string NameZh, string NameEn);

/// <summary>
/// Reason codes a reviewer picks from when asking for a replacement (the candidate sees the Chinese name), and the one
/// reason the domain assigns itself (<see cref="CheckFailed"/>).
/// </summary>
public static class ReplacementReasons
{
    /// <summary>
    /// An image whose automatic check failed, sent back by a return whether or not the reviewer marked it
    /// (<see cref="ReturnComposition.ImagesToReplace"/>): it can never get a ✓, so the case could not pass until the
    /// candidate replaces it. Not in <see cref="All"/>: the domain assigns it from the check, a reviewer cannot pick it
    /// (for an image that passed its check it would tell the candidate something untrue).
    /// </summary>
    public static readonly ReplacementReason CheckFailed = new("check-failed", "图片检测未通过", "The automatic check failed");

    public static readonly IReadOnlyList<ReplacementReason> All =
    [
        new("unclear", "图片不清晰", "The image is not clear"),
        new("incomplete", "证件不完整", "The document is incomplete"),
        new("wrong-orientation", "图片方向错误", "The image is rotated or flipped"),
        new("wrong-material-type", "材料类型不符", "The image does not match the material type"),
        new("expired", "已过有效期", "The document has expired"),
        new("information-mismatch", "信息与报名信息不一致", "The details differ from the registration"),
        new("missing-seal", "缺少公章或签字", "A seal or signature is missing"),
        new("other", "其他", "Other (see the note)"),
    ];

    /// <summary>A reason a reviewer (or a provincial system) may give: one of <see cref="All"/>.</summary>
    public static ReplacementReason? Find(string? code) =>
        All.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));

    /// <summary>Every reason an image may carry, the domain's own included: what views and the candidate's text name.</summary>
    public static readonly IReadOnlyList<ReplacementReason> Recorded = [.. All, CheckFailed];

    /// <summary>The reason an image carries, whoever gave it, for naming it (the Chinese name to the candidate).</summary>
    public static ReplacementReason? Describe(string? code) =>
        Recorded.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));
}

/// <summary>Pure rules over a case's image decisions: what blocks an approval, what a resubmission carries over.</summary>
public static class ImageDecisionRules
{
    /// <summary>The current images that stop the application from being approved: unreviewed or awaiting replacement.</summary>
    public static IReadOnlyList<ImageReview> Blocking(IEnumerable<ImageReview> images) =>
        images.Where(i => i.Current && i.Decision != ImageDecision.Approved).ToList();

    /// <summary>
    /// Applies a resubmission's image list to the case's rows: images that left the submission stop being
    /// current; images still present keep their decision (✓ is for good), except that one kept despite a
    /// replacement request goes back to pending with that request beside it; new images are pending and, where they replace an image the reviewer
    /// asked to replace (same material type first, then in order), carry that decision and reason beside them.
    /// Returns the rows to add.
    /// </summary>
    public static IReadOnlyList<ImageReview> Resubmit(
        Guid caseId, IReadOnlyList<ImageReview> existing, IReadOnlyList<Guid> imageIds, int submissionNumber,
        Func<Guid, string?> materialTypeOf)
    {
        var submitted = imageIds.ToHashSet();
        var byId = existing.Where(e => e.Current).ToDictionary(e => e.ImageId);
        var replaced = new List<ImageReview>();
        foreach (var row in byId.Values)
        {
            if (!submitted.Contains(row.ImageId))
            {
                row.Current = false;
                if (row.Decision == ImageDecision.ReplacementRequested)
                {
                    replaced.Add(row);
                }
            }
            else if (row.Decision == ImageDecision.ReplacementRequested)
            {
                // Kept as it was: the reviewer sees what they asked for last time and decides again.
                row.PreviousDecision = row.Decision;
                row.PreviousReasonCode = row.ReasonCode;
                row.PreviousNote = row.Note;
                row.Decision = ImageDecision.Pending;
                row.ReasonCode = null;
                row.Note = null;
                row.DecidedBy = null;
                row.DecidedAt = null;
            }
        }

        var added = new List<ImageReview>();
        foreach (var imageId in imageIds.Where(id => !byId.ContainsKey(id)))
        {
            var type = materialTypeOf(imageId);
            var predecessor = replaced.FirstOrDefault(r => type is not null && string.Equals(r.MaterialType, type, StringComparison.Ordinal))
                ?? replaced.FirstOrDefault(r => r.MaterialType is null || type is null);
            if (predecessor is not null)
            {
                replaced.Remove(predecessor);
            }
            added.Add(new ImageReview
            {
                Id = Guid.CreateVersion7(),
                CaseId = caseId,
                ImageId = imageId,
                MaterialType = type,
                SubmissionNumber = submissionNumber,
                Decision = ImageDecision.Pending,
                ReplacesImageId = predecessor?.ImageId,
                PreviousDecision = predecessor?.Decision,
                PreviousReasonCode = predecessor?.ReasonCode,
                PreviousNote = predecessor?.Note,
            });
        }
        return added;
    }

    /// <summary>
    /// The longest 审核意见 a case keeps and MaterialStorage shows (both store at most this many characters). A return whose
    /// composed text is longer is refused (<see cref="CaseRefusals.FeedbackTooLong"/>), never cut: a cut text lost the
    /// lines naming the last images to replace.
    /// </summary>
    public const int MaxFeedback = 2000;

    /// <summary>
    /// The candidate-facing 审核意见 of a return: the reviewer's words, then one line per image to replace, naming the
    /// material as the catalog does. Whole, however long: the return refuses a text over <see cref="MaxFeedback"/>.
    /// </summary>
    public static string ComposeFeedback(string? feedback, IReadOnlyList<ImageReview> toReplace, Func<Guid, string?> materialNameOf)
    {
        var lines = new List<string>();
        if (!string.IsNullOrWhiteSpace(feedback))
        {
            lines.Add(feedback.Trim());
        }
        foreach (var image in toReplace)
        {
            var reason = ReplacementReasons.Describe(image.ReasonCode)?.NameZh ?? "请重新上传";
            // The catalog's Chinese name (有效身份证明), never the code: the candidate reads this.
            var what = materialNameOf(image.ImageId) is { } name ? $"{name}图片" : "图片";
            lines.Add(string.IsNullOrWhiteSpace(image.Note) ? $"{what}：{reason}" : $"{what}：{reason}（{image.Note}）");
        }
        return string.Join("\n", lines);
    }
}
