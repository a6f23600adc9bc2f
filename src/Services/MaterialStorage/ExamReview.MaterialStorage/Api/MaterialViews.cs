using ExamReview.Contracts;

namespace ExamReview.MaterialStorage.Api;

public sealed record ImageView(
    Guid ImageId,
    string MaterialType,
    string ContentType,
    long Length,
    string Sha256,
    string? FileName,
    string Validation,
    IReadOnlyList<ValidationFinding> Findings,
    string Review,
    bool Locked,
    bool Approved,
    DateTimeOffset UploadedAt);

/// <summary>
/// One line of the checklist. <c>requirement</c> is required, optional or not-applicable for this candidate;
/// <c>missing</c> counts images still to upload (an image awaiting replacement does not count as present).
/// </summary>
public sealed record ChecklistItem(
    string MaterialType,
    string Name,
    string Description,
    string? ExampleImage,
    string Requirement,
    int MinCount,
    int MaxCount,
    int Uploaded,
    int Missing,
    int FailedValidation,
    int Approved,
    int ReplacementRequested,
    bool Full);

public sealed record CatalogReference(int ExamYear, string AreaCode, int Version);

/// <summary>The candidate's upload page: the reviewer's feedback (审核意见) first, then state, checklist and images.</summary>
public sealed record ApplicationView(
    string? Feedback,
    Guid ApplicationId,
    Guid CandidateId,
    string RegistrationNumber,
    int ExamYear,
    string AreaCode,
    string SiteCode,
    string State,
    bool Locked,
    string SubmissionMode,
    long MaxImageBytes,
    int SubmissionNumber,
    DateTimeOffset? SubmittedAt,
    bool ProfileReceived,
    CatalogReference? Catalog,
    IReadOnlyList<ChecklistItem> Checklist,
    IReadOnlyList<ImageView> Images);

public sealed record SubmitResponse(string Message, int SubmissionNumber, DateTimeOffset SubmittedAt);

public sealed record MaterialTypeView(string Code, string Name, string Description, string? ExampleImage, int MinCount, int MaxCount, string? CountFact);

public sealed record CatalogView(int ExamYear, string AreaCode, int Version, IReadOnlyList<MaterialTypeView> MaterialTypes);
