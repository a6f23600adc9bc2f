using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

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
    DateTimeOffset UploadedAt,
    string LockState,
    string LockLabel);

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
    bool Full,
    int Locked);

public sealed record CatalogReference(int ExamYear, string AreaCode, int Version);

/// <summary>
/// The candidate's upload page: the reviewer's feedback (审核意见) to act on first (a rejection's reason after
/// 审核拒绝, nothing once approved), then state (<c>stateLabel</c> in Chinese), checklist and images.
/// </summary>
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
    IReadOnlyList<ImageView> Images,
    string StateLabel);

public sealed record SubmitResponse(string Message, int SubmissionNumber, DateTimeOffset SubmittedAt);

public sealed record MaterialTypeView(string Code, string Name, string Description, string? ExampleImage, int MinCount, int MaxCount, string? CountFact);

public sealed record CatalogView(int ExamYear, string AreaCode, int Version, IReadOnlyList<MaterialTypeView> MaterialTypes);

/// <summary>Maps the aggregate to the views; an image's lock reads the same in the image list and the checklist.</summary>
public static class MaterialViews
{
    private static readonly JsonSerializerOptions FindingJson = new(JsonSerializerDefaults.Web);

    public static ApplicationView ToView(ApplicationContext context)
    {
        var a = context.Application;
        var catalog = context.Catalog is { } c ? new CatalogReference(c.ExamYear, c.AreaCode, c.Version) : null;
        return new ApplicationView(
            a.FeedbackToShow, a.Id, a.CandidateId, a.RegistrationNumber, a.ExamYear, a.AreaCode, a.SiteCode, a.State.ToString(), a.IsLocked,
            a.SubmissionMode.ToString(), context.Settings.MaxImageBytes, a.SubmissionNumber, a.SubmittedAt, context.ProfileReceived, catalog,
            context.Checklist().Select(line => ToView(a, line)).ToList(), a.Images.OrderBy(i => i.UploadedAt).Select(i => ToView(a, i)).ToList(),
            StateLabel(a.State));
    }

    public static ImageView ToView(MaterialApplication application, MaterialImage i)
    {
        var lockState = application.LockOf(i);
        return new ImageView(
            i.Id, i.MaterialType, i.ContentType, i.Length, i.Sha256, i.FileName, i.Validation.ToString(),
            i.FindingsJson is null ? [] : JsonSerializer.Deserialize<List<ValidationFinding>>(i.FindingsJson, FindingJson) ?? [],
            i.Review.ToString(), lockState != ImageLock.Open, lockState == ImageLock.Approved, i.UploadedAt,
            lockState.ToString(), ImageLockLabels.Zh(lockState));
    }

    private static ChecklistItem ToView(MaterialApplication application, ChecklistLine line) => new(
        line.Requirement.Type.Code, line.Requirement.Type.Name, line.Requirement.Type.Description, line.Requirement.Type.ExampleImage,
        line.Requirement.Requirement.Name(), line.Requirement.MinCount, line.Requirement.MaxCount, line.Uploaded, line.Missing,
        line.FailedValidation, line.Approved, line.ReplacementRequested, line.Full,
        application.Images.Count(i => i.MaterialType == line.Requirement.Type.Code && application.LockOf(i) != ImageLock.Open));

    private static string StateLabel(ApplicationState state) => state switch
    {
        ApplicationState.Open => "填报",
        ApplicationState.Submitted => "审核中",
        ApplicationState.SitePassed => "考点通过",
        ApplicationState.Returned or ApplicationState.AwaitingCorrection => "退回修改",
        ApplicationState.Approved => "审核通过",
        _ => "审核拒绝",
    };
}
