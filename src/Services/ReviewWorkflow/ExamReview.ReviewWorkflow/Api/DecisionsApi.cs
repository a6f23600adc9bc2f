using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>
/// Decisions, all by the holder of the case's claim: per image (approve → ✓ and locked for good, or ask for a
/// replacement with a reason code), then for the application (approve, return with one batched notice, reject).
/// </summary>
public static class DecisionsApi
{
    public static void MapDecisionsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/{caseId:guid}/images/{imageId:guid}/approve", ApproveImage)
            .WithName("approveImage").WithSummary("通过一张图片（材料服务显示 ✓ 并永久锁定）").WithDescription("Approves one image: MaterialStorage shows ✓ and locks it for good.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status404NotFound, "image_not_found").ProducesProblemCodes(StatusCodes.Status409Conflict, "not_reviewable", "claim_not_held", "image_approved", "image_check_pending", "image_check_failed");
        group.MapPost("/{caseId:guid}/images/{imageId:guid}/request-replacement", RequestReplacement)
            .WithName("requestImageReplacement").WithSummary("要求重传一张图片（原因代码和说明；退回时生效）")
            .WithDescription("Asks for a replacement of one image with a reason code (see /reason-codes) and a note; takes effect when the application is returned. " +
                "An approved image (✓) is final (409 image_approved), except one whose automatic check failed after its approval: asking for its replacement withdraws the ✓.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status404NotFound, "image_not_found").ProducesProblemCodes(StatusCodes.Status409Conflict, "not_reviewable", "claim_not_held", "image_approved");
        group.MapPost("/{caseId:guid}/approve", Approve)
            .WithName("approveReviewCase").WithSummary("考点通过（考点审核员）或审核通过（考区审核员）")
            .WithDescription("考点通过 for site reviewers; 审核通过 for area reviewers. Refused while any image is unreviewed or awaiting replacement.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status409Conflict, "illegal_transition", "claim_not_held", "materials_missing", "images_not_reviewed", "image_check_pending", "image_check_failed");
        group.MapPost("/{caseId:guid}/approve-all", ApproveAll)
            .WithName("approveAllInCase").WithSummary("一键通过：认领（如空闲）、通过全部未审图片和申请")
            .WithDescription("Claims the case if it is free, approves every unreviewed image and then the application (refused while an image awaits replacement or an image's automatic check has not passed).")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status409Conflict, "illegal_transition", "claim_held", "images_awaiting_replacement", "materials_missing", "image_check_pending", "image_check_failed");
        group.MapPost("/{caseId:guid}/return", Return)
            .WithName("returnReviewCase").WithSummary("退回修改：解锁要重传的图片并通知考生一次")
            .WithDescription("Returns the application: one UnlockMaterials for the images to replace and one notice to the candidate. " +
                "An approved image (✓) named in imageIds is refused (409 image_approved), except one whose automatic check failed after its approval: its ✓ is withdrawn and it is unlocked for replacement.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status409Conflict, "illegal_transition", "not_reviewable", "claim_not_held", "image_approved", "return_nothing_to_change")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "unknown_images", "data_return_with_images", "feedback_too_long");
        group.MapPost("/{caseId:guid}/resume", Resume)
            .WithName("resumeReviewCase").WithSummary("恢复审核：因报名信息退回、但无需考点更正的案件，由审核员附理由送回考点审核")
            .WithDescription("Resumes a case returned for a registration-data problem that staff cannot or need not correct (the candidate fixed it elsewhere, " +
                "the data was right, the return was a mistake): back to site review with the reason on the timeline, sending ReviewResumed exactly as a " +
                "staff correction does (the candidate's materials lock for review again, the status leaves 退回修改). Site reviewers of the case's site " +
                "and area reviewers of its area, who may also correct the registration; no claim, as a returned case cannot be claimed.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "not_awaiting_correction", "concurrent_change");
        group.MapPost("/{caseId:guid}/reject", Reject).RequireAuthorization(Policies.AreaReviewer).WithName("rejectReviewCase").WithSummary("审核拒绝（考区级）")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status409Conflict, "illegal_transition", "claim_not_held");
        group.MapPost("/bulk-approve", BulkApprovalApi.BulkApprove)
            .WithName("bulkApproveReviewCases").WithSummary("批量通过已全部审完的案件（逐个决定并报告结果）")
            .WithDescription($"Approves several fully reviewed cases (at most {BulkApprovalApi.MaxBulkApprove}); each case is decided on its own and reported; at area level only cases the caller claimed or opened.");
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> ApproveImage([AsParameters] ImageCall call, CancellationToken ct)
    {
        var (caseId, imageId, user, db, clock) = call;
        var now = clock.GetUtcNow();
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var checks = await CaseAccess.ChecksAsync(db, images, ct);
        var decided = reviewCase!.ApproveImage(imageId, images, checks, CaseAccess.LevelOf(user), user.Actor(), now);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> RequestReplacement([AsParameters] ReplacementCall call, CancellationToken ct)
    {
        var (request, user, db) = (call.Request, call.User, call.Db);
        var errors = new RequestErrors()
            .Require(ReplacementReasons.Find(request.ReasonCode) is not null, "reasonCode",
                $"应为以下之一：{string.Join("、", ReplacementReasons.All.Select(r => $"{r.Code}（{r.NameZh}）"))}。",
                $"must be one of: {string.Join(", ", ReplacementReasons.All.Select(r => r.Code))}")
            .Require(request.Note is null || request.Note.Length <= 500, "note", "最多 500 个字符。", "must be at most 500 characters")
            .Require(request.ReasonCode != "other" || !string.IsNullOrWhiteSpace(request.Note), "note", "原因为“其他”时必须填写说明。", "is required when the reason is 'other'");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var now = call.Clock.GetUtcNow();
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, call.CaseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var checks = await CaseAccess.ChecksAsync(db, images, ct);
        var decided = reviewCase!.RequestReplacement(call.ImageId, new ReplacementAsk(request.ReasonCode!, request.Note), images, checks, CaseAccess.LevelOf(user),
            user.Actor(), now);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Approve([AsParameters] ApproveCall call, CancellationToken ct)
    {
        var (user, db) = (call.User, call.Db);
        var now = call.Clock.GetUtcNow();
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, call.CaseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var missingOverride = new MissingMaterialsOverride(call.Request?.OverrideMissingMaterials == true, call.Request?.OverrideReason);
        var checks = await CaseAccess.ChecksAsync(db, images, ct);
        var decided = reviewCase!.Approve(images, checks, CaseAccess.LevelOf(user), user.Actor(), now, missingOverride);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> ApproveAll([AsParameters] CaseCall call, CancellationToken ct)
    {
        var (caseId, user, db, clock, options) = call;
        var now = clock.GetUtcNow();
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var checks = await CaseAccess.ChecksAsync(db, images, ct);
        var decided = reviewCase!.ApproveAll(images, checks, CaseAccess.LevelOf(user), user.Actor(), now, options.Value.Claims.Lease);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Return([AsParameters] ReturnCall call, CancellationToken ct)
    {
        var (request, user, db) = (call.Request, call.User, call.Db);
        if (request.Feedback is { Length: > 2000 })
        {
            return Problems.Invalid("feedback", "审核意见最多 2000 个字符。", "must be at most 2000 characters (审核意见)");
        }
        var now = call.Clock.GetUtcNow();
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, call.CaseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var names = await MaterialNamesAsync(db, images, ct);
        var checks = await CaseAccess.ChecksAsync(db, images, ct);
        var decided = reviewCase!.Return(new ReviewerReturn(request.Feedback, request.ImageIds ?? [], request.RegistrationData == true, request.Supplement == true), images, checks,
            CaseAccess.LevelOf(user), user.Actor(), now, call.Options.Value.Deadlines.For(reviewCase.AreaCode).ResponseWindow, names);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Reject([AsParameters] RejectCall call, CancellationToken ct)
    {
        var (caseId, request, user, db, clock) = call;
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 2000)
        {
            return Problems.Invalid("reason", "拒绝理由必填（最多 2000 个字符）。", "is required (at most 2000 characters)");
        }
        var now = clock.GetUtcNow();
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var decided = reviewCase!.Reject(request.Reason, user.Actor(), now);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    /// <summary>
    /// A reviewer ends a data return without a correction. Two reviewers (or a reviewer and a correction) racing: the
    /// case's version token lets one win; the other gets 409 concurrent_change, or not_awaiting_correction on a retry.
    /// </summary>
    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Resume([AsParameters] ResumeCall call, CancellationToken ct)
    {
        var (caseId, request, user, db, clock) = call;
        var now = clock.GetUtcNow();
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var decided = reviewCase!.ResumeAfterDataReturn(request.Reason, now);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    /// <summary>The catalog names of the case's current images (有效身份证明 …), which a return's 审核意见 names them by.</summary>
    internal static Task<Dictionary<Guid, string>> MaterialNamesAsync(ReviewDbContext db, IReadOnlyList<ImageReview> images, CancellationToken ct)
    {
        var ids = images.Where(i => i.Current).Select(i => i.ImageId).ToList();
        return db.KnownImages.AsNoTracking().Where(k => ids.Contains(k.ImageId) && k.MaterialName != null)
            .ToDictionaryAsync(k => k.ImageId, k => k.MaterialName!, ct);
    }
}
