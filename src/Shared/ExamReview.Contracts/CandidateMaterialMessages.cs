namespace ExamReview.Contracts;

// ---- Registration: the candidate's profile facts ----

/// <summary>
/// The facts that decide which materials a candidate needs (seeds/004), published when a registration is
/// created and whenever the candidate edits them. <paramref name="ProfileVersion"/> grows with every change
/// so a consumer keeps only the newest copy whatever order deliveries arrive in.
/// Text facts use the codes of the rule language: educationLevel secondary|college|bachelor|master|doctorate;
/// postgraduateStatus none|graduating-this-year|graduated; employerType grade-3a-hospital|cdc|other;
/// nationality mainland|hong-kong-macao-taiwan|foreign; qualificationRoute education|mentorship|expertise (师承/确有专长).
/// <paramref name="PreviousExamArea"/> is the 考区 code of a repeat candidate's earlier sitting (area notices depend on it);
/// the last two are optional so messages from before they existed still read.
/// </summary>
public sealed record CandidateProfileChanged(
    Guid CandidateId,
    int ProfileVersion,
    string ExamCategory,
    string EducationLevel,
    bool UpgradedFromCollege,
    DateOnly? UpgradeEntryDate,
    string PostgraduateStatus,
    DateOnly? PostgraduateEntryDate,
    bool RepeatCandidate,
    int? PreviousExamYear,
    string EmployerType,
    bool HoldsAssistantLicence,
    bool ForeignDegree,
    string Nationality,
    int TrialInstitutionCount,
    string? PreviousExamArea = null,
    string? QualificationRoute = null);

// ---- MaterialStorage: continuous submission mode ----

/// <summary>
/// Continuous mode: one image was submitted by its upload (or replacement). The application's first
/// submission (and the first upload after a return) is also announced with ApplicationSubmitted, so a review
/// case opens exactly as in explicit mode; later uploads of the same round only raise this event.
/// </summary>
public sealed record MaterialSubmitted(
    Guid ImageId,
    Guid ApplicationId,
    Guid CandidateId,
    string AreaCode,
    string SiteCode,
    string MaterialType,
    int SubmissionNumber,
    DateTimeOffset SubmittedAt)
{
    /// <summary>The image this one replaces (the candidate replaced it in place), so the review case links the two.</summary>
    public Guid? ReplacesImageId { get; init; }

    /// <summary>Required materials (catalog names) the application still misses with this image in.</summary>
    public IReadOnlyList<string>? MissingMaterials { get; init; }
}

/// <summary>
/// How every image of an application stands for the candidate after a change (Open, Locked, Approved, with the
/// Chinese label), so other views show the lock MaterialStorage decided. <c>Version</c> orders snapshots.
/// </summary>
public sealed record MaterialLocksChanged(Guid ApplicationId, Guid CandidateId, int Version, IReadOnlyList<ImageLockSnapshot> Images);

public sealed record ImageLockSnapshot(Guid ImageId, string State, string Label);

// ---- Registration: reference data ----

/// <summary>
/// An operator created or renamed an exam area (考区); the name is the 【考区单位名称】 other services show. Services that
/// take an area code from an operator keep the areas they have heard of, so an unknown code is refused without asking Registration.
/// </summary>
public sealed record ExamAreaChanged(string AreaCode, string Name);

/// <summary>
/// An operator created or renamed an exam site (考点) of an area; a site never moves to another area (Registration
/// refuses it). Services that take a site code from an operator keep the sites they have heard of.
/// </summary>
public sealed record ExamSiteChanged(string SiteCode, string AreaCode, string Name);

// ---- MaterialStorage: a return as it reached the candidate ----

/// <summary>
/// A return (<see cref="UnlockMaterials"/> with <see cref="UnlockMaterials.RespondBy"/>) opened the application to the
/// candidate: their page reads 退回修改 with this feedback, and they are to act by <paramref name="RespondBy"/>. Published
/// by MaterialStorage with the unlock, once; not when the unlock found the return already answered (continuous mode:
/// uploads made while it was on its way replaced or deleted every image it asks for, and the next round started with it)
/// nor when the unlock changed nothing (an older step, a final decision taken). Notification words the return notice
/// from it.
/// </summary>
public sealed record ReturnReachedCandidate(Guid CaseId, Guid ApplicationId, Guid CandidateId, string AreaCode, string Feedback, DateTimeOffset RespondBy);
