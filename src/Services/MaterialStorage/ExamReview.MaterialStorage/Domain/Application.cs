using System.Text.Json;
using ExamReview.Contracts;

namespace ExamReview.MaterialStorage.Domain;

/// <summary>
/// A candidate's material application: the set of uploaded images and its lock. Every write to the
/// application or its images bumps <see cref="Version"/>, an optimistic concurrency token, so an upload
/// racing a submit (or another upload for the last slot) fails instead of slipping past the check.
/// </summary>
public sealed partial class MaterialApplication
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public required string RegistrationNumber { get; set; }
    public int ExamYear { get; set; }
    public required string AreaCode { get; set; }
    public required string SiteCode { get; set; }
    public ApplicationState State { get; set; } = ApplicationState.Open;
    public int SubmissionNumber { get; set; }

    /// <summary>The area's mode, copied on every candidate write so an operator's change applies to open applications.</summary>
    public SubmissionMode SubmissionMode { get; set; } = SubmissionMode.Explicit;
    public string? Feedback { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>
    /// The catalog version the application was last submitted against. While the application is locked the
    /// checklist follows this version, so a catalog an operator publishes mid-review changes nothing for a
    /// case already with reviewers; once returned, the version in force applies again.
    /// </summary>
    public Guid? CatalogId { get; set; }

    public int Version { get; set; }

    /// <summary>
    /// The review reached its final decision (审核通过 or 审核拒绝; <see cref="ExamReview.Contracts.LockMaterials.Final"/>):
    /// closed to the candidate's writes from that moment, also while the result is held until the area's round
    /// publishes and the page still reads 审核中. Without it a continuous-mode application took uploads until the
    /// result arrived, and the approval then gave them a ✓ no reviewer had seen.
    /// </summary>
    public bool ClosedByDecision { get; set; }

    /// <summary>
    /// Changes with every saved change to the application's own row (ApplicationRevisions sets it); with its images'
    /// <see cref="MaterialImage.Revision"/>s it makes the candidate page's ETag, so the page can answer "unchanged"
    /// (304) from one small query.
    /// </summary>
    public Guid Revision { get; private set; } = Guid.NewGuid();

    internal void Revise() => Revision = Guid.NewGuid();

    public List<MaterialImage> Images { get; set; } = [];

    /// <summary>
    /// Approved applications accept no change at all; submitted ones neither in explicit mode. In continuous
    /// mode a submitted application stays open: each image locks when a reviewer reviews it.
    /// </summary>
    public bool IsLocked => State is ApplicationState.Approved or ApplicationState.Rejected or ApplicationState.AwaitingCorrection
        || ClosedByDecision
        || (State is ApplicationState.Submitted or ApplicationState.SitePassed && SubmissionMode == SubmissionMode.Explicit);

    /// <summary>With the reviewers: submitted, or passed by the site and awaiting the area's review.</summary>
    public bool InReview => State is ApplicationState.Submitted or ApplicationState.SitePassed;

    /// <summary>
    /// How one image stands for the candidate, the same in every view: approved (✓) for good, locked (by
    /// 提交审核, a reviewer's review or a final decision), or open to delete and replace.
    /// </summary>
    public ImageLock LockOf(MaterialImage image) =>
        image.Review == ImageReviewState.Approved ? ImageLock.Approved
        : image.IsLocked || IsLocked ? ImageLock.Locked
        : ImageLock.Open;

    /// <summary>Every image's lock as it stands now, for the other services' views.</summary>
    public ExamReview.Contracts.MaterialLocksChanged LockSnapshot() => new(Id, CandidateId, Version,
        Images.Select(i => new ExamReview.Contracts.ImageLockSnapshot(i.Id, LockOf(i).ToString(), ImageLockLabels.Zh(LockOf(i)))).ToList());

    /// <summary>Every image's lock now, to compare with after a change (<see cref="LocksChangedSince"/>).</summary>
    public IReadOnlyDictionary<Guid, ImageLock> Locks() => Images.ToDictionary(i => i.Id, LockOf);

    /// <summary>
    /// The snapshot the other views need when a change moved a lock: an image that was there before stands
    /// differently now, or a new image is not open. An upload of an open image or a deletion moves none (MaterialUploaded
    /// and MaterialDeleted say those), so it sends no snapshot: uploads were half of all snapshots, each rewriting every
    /// image of the application in ReviewWorkflow (issue 19).
    /// </summary>
    public ExamReview.Contracts.MaterialLocksChanged? LocksChangedSince(IReadOnlyDictionary<Guid, ImageLock> before) =>
        Images.Any(i => before.TryGetValue(i.Id, out var was) ? was != LockOf(i) : LockOf(i) != ImageLock.Open) ? LockSnapshot() : null;

    /// <summary>
    /// The reviewer's words the candidate's page leads with: the latest feedback while something is left to act
    /// on (returned, or images awaiting replacement), the reason of a rejection (审核拒绝), nothing once approved.
    /// </summary>
    public string? FeedbackToShow => State switch
    {
        ApplicationState.Returned or ApplicationState.Rejected or ApplicationState.AwaitingCorrection => Feedback,
        ApplicationState.Submitted or ApplicationState.SitePassed when Images.Any(i => i.Review == ImageReviewState.ReplacementRequested) => Feedback,
        _ => null,
    };

    public void Touch() => Version++;
}

public enum ApplicationState
{
    Open = 0,
    Submitted = 1,
    Returned = 2,
    Approved = 3,

    /// <summary>审核拒绝: final; the application keeps the reason in <see cref="MaterialApplication.Feedback"/>.</summary>
    Rejected = 4,

    /// <summary>考点通过: the site passed the submission; it awaits the area's review and reads as submitted otherwise.</summary>
    SitePassed = 5,

    /// <summary>
    /// Returned for a registration-data problem: the candidate reads the feedback (退回修改) but has nothing to upload;
    /// everything stays locked until site staff correct the registration and the review resumes.
    /// </summary>
    AwaitingCorrection = 6,
}

/// <summary>An image's lock as every view shows it (the Chinese label is what the candidate reads).</summary>
public enum ImageLock
{
    Open,
    Locked,
    Approved,
}

public static class ImageLockLabels
{
    public static string Zh(ImageLock state) => state switch
    {
        ImageLock.Approved => "已通过",
        ImageLock.Locked => "已锁定",
        _ => "可修改",
    };
}

public sealed class MaterialImage
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }

    /// <summary>
    /// A new random number with every saved change to the image (ApplicationRevisions). The page's ETag counts the
    /// images and sums these, so a verdict changes the page without touching (and locking) the application's row,
    /// which a candidate's parallel uploads would otherwise queue on.
    /// </summary>
    public int Revision { get; private set; } = Random.Shared.Next();

    internal void Revise() => Revision = Random.Shared.Next();
    public required string MaterialType { get; set; }
    public required string ObjectKey { get; set; }

    /// <summary>The watermarked copy ImageValidation wrote (from its verdict); null until then, or if the upload could not be decoded.</summary>
    public string? ReviewerCopyKey { get; set; }
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public required string Sha256 { get; set; }
    public string? FileName { get; set; }

    /// <summary>
    /// The area's size limit the file was accepted under, known at intake and carried to ImageValidation on
    /// <see cref="ExamReview.Contracts.MaterialUploaded.MaxFileBytes"/>; not stored (the message is the record of it).
    /// </summary>
    public long? AcceptedUnderBytes { get; init; }

    public ValidationState Validation { get; set; } = ValidationState.Pending;
    public string? FindingsJson { get; set; }
    public ImageReviewState Review { get; set; } = ImageReviewState.None;
    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>Locked by a reviewer's review or approved (✓, for good): no delete or replacement.</summary>
    public bool IsLocked => Review is ImageReviewState.Locked or ImageReviewState.Approved;

    private static readonly JsonSerializerOptions FindingJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Records ImageValidation's verdict, unless it would replace an infected one. Infected wins: the bytes never
    /// change under one image id, so a clean verdict arriving after an infected one was judged with older signatures
    /// (or overtook it on the way), and must not let a reviewer see the file. An infected verdict replaces any earlier
    /// one and leaves no copy to show: ImageValidation deleted the copy before sending it. Between verdicts without
    /// malware the one arriving last is kept, as it always was.
    /// </summary>
    /// <returns>False when the verdict is refused; then nothing changed.</returns>
    public bool RecordVerdict(bool passed, IReadOnlyList<ValidationFinding> findings, string? reviewerCopyKey)
    {
        var infected = IsMalware(findings);
        if (!infected && FindingsJson is { } recorded && IsMalware(JsonSerializer.Deserialize<List<ValidationFinding>>(recorded, FindingJson) ?? []))
        {
            return false;
        }
        // A malware finding is a failure whatever the flag says: the file must never count as accepted.
        Validation = passed && !infected ? ValidationState.Passed : ValidationState.Failed;
        FindingsJson = JsonSerializer.Serialize(findings, FindingJson);
        ReviewerCopyKey = infected ? null : reviewerCopyKey;
        return true;
    }

    /// <summary>The verdict as the review is told it at submission (null while the check runs).</summary>
    public SubmittedImageCheck? CheckForReview() => Validation == ValidationState.Pending ? null
        : new SubmittedImageCheck(Id, Validation == ValidationState.Passed,
            FindingsJson is { } recorded && IsMalware(JsonSerializer.Deserialize<List<ValidationFinding>>(recorded, FindingJson) ?? []));

    private static bool IsMalware(IEnumerable<ValidationFinding> findings) =>
        findings.Any(f => string.Equals(f.Code, ValidationFindingCodes.MalwareDetected, StringComparison.Ordinal));
}

public enum ValidationState
{
    Pending = 0,
    Passed = 1,
    Failed = 2,
}

public enum ImageReviewState
{
    None = 0,
    Locked = 1,
    Approved = 2,
    ReplacementRequested = 3,
}
