namespace ExamReview.Contracts;

// Message contracts shared by all services. Commands are imperative, events past tense.
// Every message carries ids and small facts, never whole documents.

/// <summary>Marker used to resolve contract types by name (outbox relay) without loading arbitrary types.</summary>
public static class ContractTypes
{
    public static Type? Resolve(string fullName)
    {
        var type = typeof(ContractTypes).Assembly.GetType(fullName, throwOnError: false);
        return type is { IsClass: true, IsAbstract: false } ? type : null;
    }
}

// ---- Registration ----

/// <summary>A registration handed over from the provincial system; it is created at version 0 (see <see cref="RegistrationCorrected.RegistrationVersion"/>).</summary>
public sealed record CandidateRegistered(
    Guid CandidateId,
    Guid RegistrationId,
    string RegistrationNumber,
    int ExamYear,
    string AreaCode,
    string SiteCode,
    string ExamCategory);

/// <summary>
/// The candidate's mobile number (and area) as of <paramref name="ContactVersion"/>, the registration's version at
/// the change: it grows with every change of the registration, so a consumer keeps the number of the highest version
/// it has seen whatever order deliveries arrive in (a retried older change must not send codes to an old number).
/// </summary>
public sealed record CandidateContactChanged(Guid CandidateId, string AreaCode, string MobileNumber, int ContactVersion)
{
    /// <summary>
    /// When the number was moved (the candidate's change or a correction), as Registration recorded it: the warning
    /// texted to the previous number names this time, not when the message happened to arrive. Null for the
    /// registration's first number and in messages published before this existed.
    /// </summary>
    public DateTimeOffset? ChangedAt { get; init; }
}

// ---- MaterialStorage ----

/// <summary>
/// An image was stored (claim check): <paramref name="OriginalKey"/> is where its bytes are in the materials
/// bucket, <paramref name="ContentType"/> the format MaterialStorage decided from them at upload (the only place
/// it is decided), <paramref name="Sha256"/> what a reader must find there.
/// </summary>
public sealed record MaterialUploaded(
    Guid ImageId,
    Guid ApplicationId,
    Guid CandidateId,
    string RegistrationNumber,
    string MaterialType,
    string ContentType,
    long Length,
    string Sha256,
    string OriginalKey)
{
    /// <summary>The material type's name in the catalog (有效身份证明 …): what reviewers and candidates read, never the code.</summary>
    public string? MaterialName { get; init; }

    /// <summary>
    /// The file-size limit the upload was accepted under: its exam area's <c>maxImageBytes</c> (200 KB by default, which
    /// an area may raise). ImageValidation judges the file's size by it, so a file the area let in is not failed for its
    /// size afterwards. Null from senders before this field: ImageValidation's configured document limit.
    /// </summary>
    public long? MaxFileBytes { get; init; }
}

public sealed record MaterialDeleted(Guid ImageId, Guid ApplicationId, Guid CandidateId)
{
    /// <summary>Continuous mode: the required materials (catalog names) the application misses after the deletion.</summary>
    public IReadOnlyList<string>? MissingMaterials { get; init; }
}

public sealed record ApplicationSubmitted(
    Guid ApplicationId,
    Guid CandidateId,
    string RegistrationNumber,
    string AreaCode,
    string SiteCode,
    int SubmissionNumber,
    IReadOnlyList<Guid> ImageIds,
    DateTimeOffset SubmittedAt)
{
    /// <summary>Required materials (catalog names) still missing: none after 提交审核; possibly some in continuous mode.</summary>
    public IReadOnlyList<string>? MissingMaterials { get; init; }

    /// <summary>
    /// The verdicts MaterialStorage holds on the submitted images (those still being checked are left out; null from an
    /// older sender). The review keeps the verdicts too (<see cref="MaterialValidated"/>), but one published while its
    /// subscription did not exist yet (a deploy) or lost with an in-memory bus would otherwise leave an image pending
    /// there for good: the submission carries what the owner of the verdicts knows.
    /// </summary>
    public IReadOnlyList<SubmittedImageCheck>? Checks { get; init; }
}

/// <summary>An image's verdict as MaterialStorage recorded it: passed or not, and whether malware was found.</summary>
public sealed record SubmittedImageCheck(Guid ImageId, bool Passed, bool Infected);

public sealed record MaterialsLocked(Guid ApplicationId, Guid CandidateId, IReadOnlyList<Guid> ImageIds);

public sealed record MaterialsUnlocked(Guid ApplicationId, Guid CandidateId, IReadOnlyList<Guid> ImageIds);

public sealed record MaterialsApproved(Guid ApplicationId, Guid CandidateId, IReadOnlyList<Guid> ImageIds);

// ---- ImageValidation ----

public sealed record ValidationFinding(string Code, string MessageZh, string MessageEn, string? Threshold, string? Measured);

/// <summary>The finding codes a service other than ImageValidation acts on (ImageValidation owns the rest).</summary>
public static class ValidationFindingCodes
{
    /// <summary>
    /// The virus scanner matched a signature. MaterialStorage keys on it: an infected verdict is never replaced by a
    /// clean one (see <see cref="MaterialValidated"/>).
    /// </summary>
    public const string MalwareDetected = "malware_detected";
}

/// <summary>
/// The verdict on one image. <paramref name="ReviewerCopyKey"/> is the watermarked copy ImageValidation wrote
/// (null when the upload could not be decoded, and always null when it is infected). Published with a message id
/// derived from the image id and whether malware was found (<see cref="MaterialObjects.VerdictMessageId"/>): a
/// verdict sent again after a redelivery that judged the same way is a duplicate to the receiver's inbox, but one
/// that found malware a first judgement missed (the scanner's signatures were updated in between) is not, so it is
/// recorded. The receiver keeps an infected verdict against a clean one arriving later or out of order.
/// </summary>
public sealed record MaterialValidated(
    Guid ImageId,
    Guid CandidateId,
    bool Passed,
    IReadOnlyList<ValidationFinding> Findings,
    string? ReviewerCopyKey);

// ---- ReviewWorkflow: commands to MaterialStorage ----

/// <summary>
/// Locks the images a reviewer reviewed (explicit mode submit is done by the candidate; this is the reviewer-side lock).
/// ReviewWorkflow names them: the images its case held (<see cref="ImagesNamed"/>).
/// </summary>
public sealed record LockMaterials(Guid CaseId, Guid ApplicationId, Guid CandidateId, IReadOnlyList<Guid> ImageIds)
{
    /// <summary>
    /// True: <see cref="LockMaterials.ImageIds"/> are exactly the images to lock, and an empty list locks none (a case
    /// that held no image: in continuous mode an image uploaded while this is on its way was seen by no reviewer, so it
    /// stays open). False from senders before this field, whose empty list locks every image of the application, as before.
    /// </summary>
    public bool ImagesNamed { get; init; }

    /// <summary>Where the case stood when it sent this (<see cref="ReviewPosition"/>): a lock older than an unlock applied since changes nothing.</summary>
    public ReviewPosition? Position { get; init; }

    /// <summary>
    /// Sent with a final decision (审核通过, 审核拒绝): the application takes no upload, replacement or deletion from now on,
    /// even while the result itself is held until the area's round publishes (the candidate still reads 审核中). False
    /// from older senders and for a site approval's lock.
    /// </summary>
    public bool Final { get; init; }
}

/// <summary>Unlocks the images a reviewer asked to replace; an empty list unlocks every image that is not approved.</summary>
public sealed record UnlockMaterials(Guid CaseId, Guid ApplicationId, Guid CandidateId, IReadOnlyList<Guid> ImageIds, string Feedback)
{
    /// <summary>Where the case stood when it sent this: an unlock older than a lock applied since changes nothing.</summary>
    public ReviewPosition? Position { get; init; }

    /// <summary>
    /// The images the case held when it returned the application: the return locks or unlocks these only. In continuous
    /// mode a candidate can upload after the return was decided and before this command is applied; no reviewer saw that
    /// image, so it stays as uploaded (open) and goes to the next round. Null from senders before this field: every image
    /// of the application, as before.
    /// </summary>
    public IReadOnlyList<Guid>? CaseImageIds { get; init; }

    /// <summary>
    /// Approved images (✓) whose check failed after the ✓ and whose ✓ the review withdrew with this return: they await
    /// replacement whatever <see cref="ImageIds"/> says. A province's return names no image (an empty list: every image
    /// not approved unlocks) and lists its withdrawals here; a reviewer's return names them in ImageIds as well. Null from
    /// senders before this field: an approved image unlocks only when ImageIds names it.
    /// </summary>
    public IReadOnlyList<Guid>? WithdrawnImageIds { get; init; }

    /// <summary>
    /// The return's deadline, set with <see cref="ApplicationReturned.NoticeOnUnlock"/>: MaterialStorage tells the
    /// candidate of the return (<see cref="ReturnReachedCandidate"/>) once the unlock has opened the application to them,
    /// and not when uploads made meanwhile already answered it. Null from senders before this field: no notice from
    /// MaterialStorage; Notification notices on <see cref="ApplicationReturned"/>, as before.
    /// </summary>
    public DateTimeOffset? RespondBy { get; init; }
}

/// <summary>Marks the named images approved (✓, locked for good). ReviewWorkflow always names them (the images its case
/// holds); an empty list, from a sender before that, approves every image of the application as it always did.
/// The application itself becomes approved only with <see cref="ApplicationApproved"/>.</summary>
public sealed record ApproveMaterials(Guid CaseId, Guid ApplicationId, Guid CandidateId, IReadOnlyList<Guid> ImageIds);

// ---- ReviewWorkflow: events ----

/// <summary>
/// Where a review outcome stands in its application's history: the submission it is about, then the review case's
/// version when it was decided. Later outcomes stand higher, whichever host's clock stamped the message, so a receiver
/// keeping the candidate's status takes an outcome only over a lower one. MaterialStorage's ApplicationSubmitted stands at
/// (its submission number, 0): before every outcome of that submission and after every outcome of the ones before.
/// Null from senders that did not say.
/// </summary>
public sealed record ReviewPosition(int SubmissionNumber, int CaseVersion)
{
    /// <summary>Whether this outcome came after <paramref name="other"/>: a later submission, or a later version of the same one.</summary>
    public bool Follows(ReviewPosition other) =>
        SubmissionNumber != other.SubmissionNumber ? SubmissionNumber > other.SubmissionNumber : CaseVersion > other.CaseVersion;

    /// <summary>A position a receiver stored as two columns, or null when it has none (stored before positions were sent).</summary>
    public static ReviewPosition? Of(int? submissionNumber, int? caseVersion) =>
        submissionNumber is { } submission && caseVersion is { } version ? new ReviewPosition(submission, version) : null;
}

/// <summary>
/// 考点通过: the site passed the application; the area review follows. <see cref="SubmissionNumber"/> names the
/// submission that was passed (0 from senders that did not say), so a receiver can tell a late message of an earlier round.
/// </summary>
public sealed record ApplicationSiteApproved(Guid CaseId, Guid ApplicationId, Guid CandidateId, string AreaCode, string SiteCode)
{
    public int SubmissionNumber { get; init; }

    public ReviewPosition? Position { get; init; }
}

public sealed record ApplicationApproved(Guid CaseId, Guid ApplicationId, Guid CandidateId, string AreaCode)
{
    public ReviewPosition? Position { get; init; }

    /// <summary>
    /// The images the approved case held, the only ones that get a ✓ with it: an image the reviewers never saw (uploaded
    /// after the case's last look) stays unapproved. Null from older senders (and results held before the field): every
    /// image, as before.
    /// </summary>
    public IReadOnlyList<Guid>? ImageIds { get; init; }
}

public sealed record ApplicationReturned(
    Guid CaseId,
    Guid ApplicationId,
    Guid CandidateId,
    string AreaCode,
    string ReviewLevel,
    string Feedback,
    DateTimeOffset RespondBy)
{
    /// <summary>
    /// Returned for a registration-data problem (报名信息有问题): nothing unlocks (no <see cref="UnlockMaterials"/> is
    /// sent), site staff correct the data and the review resumes (ReviewResumed); the candidate's upload page shows the feedback.
    /// </summary>
    public bool RegistrationData { get; init; }

    public ReviewPosition? Position { get; init; }

    /// <summary>
    /// The candidate's notice of this return (SMS, in-app message) goes out with MaterialStorage's unlock
    /// (<see cref="ReturnReachedCandidate"/>), not with this event: in continuous mode uploads made while the return was on
    /// its way can answer it, and only MaterialStorage knows. Set on every return that unlocks. False from older senders
    /// and for a data return (nothing unlocks): Notification notices on this event, as before.
    /// </summary>
    public bool NoticeOnUnlock { get; init; }
}

public sealed record ApplicationRejected(Guid CaseId, Guid ApplicationId, Guid CandidateId, string AreaCode, string Reason)
{
    public ReviewPosition? Position { get; init; }
}

/// <summary>A returned application's response window is about to end (reminder to the candidate).</summary>
public sealed record ReturnDeadlineApproaching(Guid CaseId, Guid ApplicationId, Guid CandidateId, string AreaCode, DateTimeOffset RespondBy);

// ---- Notification ----

public sealed record NotificationSent(Guid NotificationId, Guid CandidateId, Guid SourceMessageId, string Channel);

public sealed record NotificationFailed(Guid NotificationId, Guid CandidateId, Guid SourceMessageId, string Channel, string Reason);
