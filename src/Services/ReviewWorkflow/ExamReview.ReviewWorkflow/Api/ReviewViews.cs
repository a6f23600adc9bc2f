using System.Security.Claims;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>A case as reviewers see it; <see cref="Images"/> is filled only in single-case answers, not in queue pages.</summary>
public sealed record CaseView(
    Guid CaseId,
    Guid ApplicationId,
    Guid CandidateId,
    string RegistrationNumber,
    string AreaCode,
    string SiteCode,
    string? ExamCategory,
    string State,
    string Stage,
    int SubmissionNumber,
    IReadOnlyList<Guid> ImageIds,
    string? Feedback,
    DateTimeOffset? RespondBy,
    bool Overdue,
    bool Escalated,
    bool ResubmittedSinceReview,
    int ReturnCount,
    ClaimView? Claim,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ImageReviewView>? Images,
    IReadOnlyList<string> MissingMaterials,

    bool AwaitingCorrection,
    string IdentityUrl);

/// <summary>Who holds a case and until when; visible to every reviewer of the queue.</summary>
public sealed record ClaimView(string ClaimedBy, DateTimeOffset ClaimedAt, DateTimeOffset ExpiresAt);

public sealed record ImageReviewView(
    Guid ImageId,
    string? MaterialType,
    string Decision,
    string? ReasonCode,
    string? Reason,
    string? Note,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    bool Resubmitted,
    Guid? ReplacesImageId,
    string? PreviousDecision,
    string? PreviousReasonCode,
    string? PreviousReason,
    string? PreviousNote,
    string? LockState = null,
    string? LockLabel = null,
    string? Check = null);

public sealed record CasePage(IReadOnlyList<CaseView> Items, string? NextCursor);

/// <summary>
/// <c>registrationData</c>: the problem is the registration data (姓名、证件号码…), which site staff correct in
/// Registration; nothing unlocks and the case resumes when the correction arrives. <c>supplement</c>: the candidate is to
/// add materials (补充) the feedback names, also where every image is ✓ and nothing counts as missing (a second
/// institution's 试用期考核合格证明): the returned application takes uploads where the catalog leaves room.
/// </summary>
public sealed record ReturnRequest(string? Feedback, IReadOnlyList<Guid>? ImageIds, bool? RegistrationData = null, bool? Supplement = null);

/// <summary>What a return, and its preview (<see cref="ConsoleSupportApi"/>), needs: the case, the body, and the services it works with.</summary>
public sealed record ReturnCall(
    [FromRoute(Name = "caseId")] Guid CaseId,
    ReturnRequest Request,
    ClaimsPrincipal User,
    ReviewDbContext Db,
    TimeProvider Clock,
    IOptions<ReviewOptions> Options);

public sealed record RejectRequest(string? Reason);

/// <summary>What a rejection needs: the case, the reason, and the services it works with.</summary>
public sealed record RejectCall(
    [FromRoute(Name = "caseId")] Guid CaseId,
    RejectRequest Request,
    ClaimsPrincipal User,
    ReviewDbContext Db,
    TimeProvider Clock);

/// <summary>What an action on one case by its id needs (claim, renew, approve all): the caller and the services.</summary>
public sealed record CaseCall(
    [FromRoute(Name = "caseId")] Guid CaseId,
    ClaimsPrincipal User,
    ReviewDbContext Db,
    TimeProvider Clock,
    IOptions<ReviewOptions> Options);

/// <summary>What a decision on one image of a case needs: the route's ids and the services.</summary>
public sealed record ImageCall(
    [FromRoute(Name = "caseId")] Guid CaseId,
    [FromRoute(Name = "imageId")] Guid ImageId,
    ClaimsPrincipal User,
    ReviewDbContext Db,
    TimeProvider Clock);

/// <summary>
/// 考点通过 / 审核通过. A site reviewer passing an application that still misses required materials (continuous mode)
/// sets <c>overrideMissingMaterials</c> and gives the reason; the timeline records both.
/// </summary>
public sealed record ApproveRequest(bool? OverrideMissingMaterials, string? OverrideReason);

public sealed record ApproveCall(
    Guid CaseId,
    [property: FromBody] ApproveRequest? Request,
    ClaimsPrincipal User,
    ReviewDbContext Db,
    TimeProvider Clock);

public sealed record ReplacementRequest(string? ReasonCode, string? Note);

/// <summary>What a replacement request for one image of a case needs: the route's ids, the body, and the services it works with.</summary>
public sealed record ReplacementCall(
    [FromRoute(Name = "caseId")] Guid CaseId,
    [FromRoute(Name = "imageId")] Guid ImageId,
    ReplacementRequest Request,
    ClaimsPrincipal User,
    ReviewDbContext Db,
    TimeProvider Clock);

/// <summary>Why a case returned for registration data resumes without a correction (2–500 characters, on the timeline and in ReviewResumed).</summary>
public sealed record ResumeRequest(string? Reason);

/// <summary>What resuming a data-returned case needs: the case, the reason, and the services it works with.</summary>
public sealed record ResumeCall(
    [FromRoute(Name = "caseId")] Guid CaseId,
    ResumeRequest Request,
    ClaimsPrincipal User,
    ReviewDbContext Db,
    TimeProvider Clock);

public sealed record BulkApproveRequest(IReadOnlyList<Guid>? CaseIds);

public sealed record BulkApproveOutcome(Guid CaseId, bool Approved, string? Code, string? Detail);

public sealed record BulkApproveResponse(int Approved, int Refused, IReadOnlyList<BulkApproveOutcome> Results);

public sealed record CaseEventView(string Kind, string Actor, string? Detail, DateTimeOffset At);

internal static class ReviewViews
{
    public static CaseView ToView(ReviewCase c, DateTimeOffset now, IReadOnlyList<ImageReview>? images = null) => new(
        c.Id, c.ApplicationId, c.CandidateId, c.RegistrationNumber, c.AreaCode, c.SiteCode, c.ExamCategory,
        c.State.ToString(), ReviewStages.Of(c, now), c.SubmissionNumber, CaseImageIds.Of(c), c.Feedback, c.RespondBy,
        c.IsOverdue(now) || c.ResponseWindowExpiredAt is not null && c.State == CaseState.Returned,
        c.EscalatedAt is not null, c.ResubmittedSinceReview, c.ReturnCount,
        c.HasActiveClaim(now) ? new ClaimView(c.ClaimedBy!, c.ClaimedAt ?? c.UpdatedAt, c.ClaimExpiresAt!.Value) : null,
        c.SubmittedAt, c.UpdatedAt,
        // In the order the candidate uploaded them, as their own page lists them (MaterialStorage's image ids are version-7,
        // taken at upload): the rows' own ids are made in one millisecond per submission, and their random tail shuffled a
        // case's images (the ID card's front, back and hand-held scattered among the other materials).
        images?.Where(i => i.Current).OrderBy(i => i.ImageId).Select(ToView).ToList(),
        c.MissingMaterials(),
        c.AwaitingCorrection,
        // The name and full ID number stay in Registration, which checks the scope and logs each view.
        $"/api/v1/registrations/{c.CandidateId}/identity?caseId={c.Id}");

    /// <summary>
    /// The case with each image's lock as MaterialStorage decided it (已锁定 …), the same the candidate reads. Every
    /// answer that shows a case's images (the case, claims, decisions) goes through here. An image approved here (✓)
    /// reads approved at once: approval locks it for good in MaterialStorage too, only its word is still on the way.
    /// Each image also carries its check as ImageValidation's verdict left it here (<see cref="ImageCheck"/>: Pending until
    /// then), the outcome that decides whether it can get its ✓.
    /// </summary>
    public static async Task<CaseView> WithLocksAsync(ReviewDbContext db, CaseView view, CancellationToken ct)
    {
        if (view.Images is null)
        {
            return view;
        }
        var ids = view.Images.Select(i => i.ImageId).ToList();
        var known = await db.KnownImages.AsNoTracking().Where(k => ids.Contains(k.ImageId))
            .ToDictionaryAsync(k => k.ImageId, k => (k.LockState, k.LockLabel, k.Check), ct);
        return view with
        {
            Images = view.Images.Select(i =>
            {
                var found = known.TryGetValue(i.ImageId, out var k);
                var image = i with { Check = (found ? k.Check : ImageCheck.Pending).ToString() };
                return i.Decision == nameof(ImageDecision.Approved) ? image with { LockState = ApprovedLock, LockLabel = ApprovedLockLabel }
                    : found && k.LockState is not null ? image with { LockState = k.LockState, LockLabel = k.LockLabel }
                    : image;
            }).ToList(),
        };
    }

    // MaterialStorage's names for an approved image's lock (ImageLock.Approved, ImageLockLabels).
    private const string ApprovedLock = "Approved";
    private const string ApprovedLockLabel = "已通过";

    public static ImageReviewView ToView(ImageReview i) => new(
        i.ImageId, i.MaterialType, i.Decision.ToString(), i.ReasonCode, ReplacementReasons.Describe(i.ReasonCode)?.NameZh, i.Note,
        i.DecidedBy, i.DecidedAt, i.PreviousDecision is not null || i.ReplacesImageId is not null, i.ReplacesImageId,
        i.PreviousDecision?.ToString(), i.PreviousReasonCode, ReplacementReasons.Describe(i.PreviousReasonCode)?.NameZh, i.PreviousNote);
}
