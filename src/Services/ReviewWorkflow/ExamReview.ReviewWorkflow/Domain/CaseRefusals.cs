using ExamReview.Contracts;

namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>Why a reviewer's action was refused, in the terms the API turns into an HTTP status.</summary>
public enum CaseRefusalKind
{
    NotFound,
    Forbidden,
    Conflict,
    Unprocessable,

    /// <summary>A field of the request is missing or wrong given the case (Facts["field"] names it): a 400 validation problem.</summary>
    InvalidField,
}

/// <summary>
/// The review's "no": a stable code, the Chinese text the reviewer reads first, the English one for clients that ask
/// for it, and the facts the client needs to act (image ids, who holds the claim). Each refusal's words live here
/// only; endpoints translate, they do not write texts of their own.
/// </summary>
public sealed record CaseRefusal(
    CaseRefusalKind Kind,
    string Code,
    string DetailZh,
    string DetailEn,
    IReadOnlyDictionary<string, object?>? Facts = null);

/// <summary>The refusals of the two-level review, and the rules over a case that decide them.</summary>
public static class CaseRefusals
{
    public static CaseRefusal NotFound() =>
        new(CaseRefusalKind.NotFound, "case_not_found", "没有找到该审核案件。", "No such review case.");

    public static CaseRefusal ImageNotFound(Guid imageId) =>
        new(CaseRefusalKind.NotFound, "image_not_found", "该图片不在本案件当前提交的材料中。",
            $"Image {imageId} is not part of this case's current submission.", new Dictionary<string, object?> { ["imageId"] = imageId });

    public static CaseRefusal ImageApproved() =>
        new(CaseRefusalKind.Conflict, "image_approved", "该图片已审核通过（✓），永久锁定，不能再更改审核结果。",
            "This image is approved (✓) and locked for good; its decision cannot change.");

    public static CaseRefusal ApprovedImagesNamed(IReadOnlyList<Guid> imageIds) =>
        new(CaseRefusalKind.Conflict, "image_approved", "已审核通过（✓）的图片永久锁定，不能退回要求更换。",
            "Approved images (✓) are locked for good and cannot be sent back for replacement.", new Dictionary<string, object?> { ["imageIds"] = imageIds });

    public static CaseRefusal UnknownImages(IReadOnlyList<Guid> imageIds) =>
        new(CaseRefusalKind.Unprocessable, "unknown_images", $"有 {imageIds.Count} 张图片不在本次提交的材料中。",
            $"Images not in this submission: {string.Join(", ", imageIds)}", new Dictionary<string, object?> { ["imageIds"] = imageIds });

    public static CaseRefusal ImagesAwaitingReplacement(IReadOnlyList<Guid> imageIds) =>
        new(CaseRefusalKind.Conflict, "images_awaiting_replacement", "有图片正等待考生更换：请退回申请，或先逐张审核这些图片。",
            "Some images await replacement; return the application or approve those images one by one first.",
            new Dictionary<string, object?> { ["awaitingReplacement"] = imageIds });

    /// <summary>An image whose check has not reported yet cannot get a ✓: at the peak the validation backlog can be minutes.</summary>
    public static CaseRefusal ImageCheckPending(IReadOnlyList<Guid> imageIds) =>
        new(CaseRefusalKind.Conflict, "image_check_pending", "图片检测尚未完成，请稍后再审核。",
            $"The automatic check of {imageIds.Count} image(s) has not finished; review them once it has.",
            new Dictionary<string, object?> { ["checkPending"] = imageIds });

    /// <summary>An image that failed its check (or was found infected) never gets a ✓; asking for a replacement stays open.</summary>
    public static CaseRefusal ImageCheckFailed(IReadOnlyList<Guid> failed, IReadOnlyList<Guid> pending) =>
        new(CaseRefusalKind.Conflict, "image_check_failed", "图片未通过检测，只能要求考生重新上传。",
            $"{failed.Count} image(s) failed the automatic check; they can only be sent back for replacement.",
            new Dictionary<string, object?> { ["checkFailed"] = failed, ["checkPending"] = pending });

    public static CaseRefusal FeedbackRequired() =>
        new(CaseRefusalKind.InvalidField, "validation", "没有标记要更换的图片时，审核意见必填。", "is required when no image is marked for replacement (the feedback the candidate reads)",
            new Dictionary<string, object?> { ["field"] = "feedback" });

    public static CaseRefusal UnknownReason() =>
        new(CaseRefusalKind.InvalidField, "validation", $"应为以下之一：{string.Join("、", ReplacementReasons.All.Select(r => $"{r.Code}（{r.NameZh}）"))}。",
            $"must be one of: {string.Join(", ", ReplacementReasons.All.Select(r => r.Code))}", new Dictionary<string, object?> { ["field"] = "reasonCode" });

    public static CaseRefusal DataReturnWithImages() =>
        new(CaseRefusalKind.Unprocessable, "data_return_with_images",
            "报名信息问题的退回只说明要修改的报名信息（feedback），不能同时要求更换或补充图片：材料问题请另行退回。",
            "A return for registration data only says what to correct (feedback) and cannot ask for replacement or further images; return material problems separately.");

    public const string NothingToChangeCode = "return_nothing_to_change";

    /// <summary>
    /// A reviewer's return that would unlock nothing: every image has its ✓ (final), none is named or marked, nothing
    /// required is missing, no material is asked for (supplement) and the registration data is not the problem. The candidate would get the return SMS and could
    /// change nothing, and the case would wait in 退回修改 for good (no one can decide a returned case).
    /// </summary>
    public static CaseRefusal ReturnNothingToChange() =>
        new(CaseRefusalKind.Conflict, NothingToChangeCode,
            "退回必须让考生有可修改的内容：本案件的图片均已审核通过（✓，不能再要求更换），也没有缺少的必传材料，退回后考生无法修改任何材料。"
            + "请先对要更换的图片“要求重传”（已通过的图片只有之后检测未通过的才能撤回）；需要考生补充上传其他材料的，请勾选“要求补充材料”并在审核意见中写明；"
            + "或勾选“问题在报名信息”由考点更正；材料确实不符合的，请由考区审核拒绝。",
            "A return must leave the candidate something to change: every image here is approved (✓, final) and no required material is missing, "
            + "so the candidate could change nothing. Ask for the replacement of the images to replace (an approved image only where its check failed afterwards), "
            + "ask for materials to add (supplement, named in the feedback), or return for registration data; an application that does not qualify is rejected at area level.");

    public static CaseRefusal SupplementFeedbackRequired() =>
        new(CaseRefusalKind.InvalidField, "validation", "要求补充材料时审核意见必填：写明要补充上传哪些材料。",
            "is required when asking for materials to add (say which ones)", new Dictionary<string, object?> { ["field"] = "feedback" });

    /// <summary>The same for a province's return, which names no image and has no registration-data form.</summary>
    public static CaseRefusal AreaReturnNothingToChange() =>
        new(CaseRefusalKind.Conflict, NothingToChangeCode,
            "退回必须让考生有可修改的内容：该案件的图片均已审核通过（✓，不能再要求更换），没有之后检测未通过的图片，也没有缺少的必传材料，退回后考生无法修改任何材料。"
            + "需要考生补充上传其他材料的，请以 supplement=true 退回并在 note 中写明补充什么；否则请审核通过或审核拒绝；报名信息有误的，请推送报名信息更正。",
            "A return must leave the candidate something to change: every image is approved (✓, final), none failed its check afterwards and no required material "
            + "is missing, so the candidate could change nothing. To ask for materials to add, return with supplement=true and say which in the note; otherwise "
            + "approve or reject the application; push a registration correction for wrong registration data.");

    /// <summary>A province's return asking for materials to add (supplement) says which in its note: the candidate reads only that.</summary>
    public static CaseRefusal AreaSupplementNoteRequired() =>
        new(CaseRefusalKind.InvalidField, "validation", "要求补充材料（supplement）时 note 必填：写明要补充上传哪些材料。",
            "is required when asking for materials to add (supplement): say which ones", new Dictionary<string, object?> { ["field"] = "note" });

    public static CaseRefusal NotAwaitingCorrection(CaseState state) =>
        new(CaseRefusalKind.Conflict, "not_awaiting_correction", $"案件当前为“{Label(state)}”，并非因报名信息问题退回等待更正，无需恢复审核。",
            $"A case in state {state} is not returned for a registration-data problem; there is nothing to resume.",
            new Dictionary<string, object?> { ["state"] = state.ToString() });

    public static CaseRefusal ResumeReasonRequired(int max) =>
        new(CaseRefusalKind.InvalidField, "validation", $"恢复审核的理由必填（2 至 {max} 个字符），说明为何无需更正报名信息。",
            $"is required (2 to {max} characters): why the registration needs no correction", new Dictionary<string, object?> { ["field"] = "reason" });

    /// <summary>A reason for passing with materials missing longer than the timeline takes (the bound a resumption's reason has).</summary>
    public static CaseRefusal OverrideReasonTooLong(int max) =>
        new(CaseRefusalKind.InvalidField, "validation", $"缺材料仍通过的理由最多 {max} 个字符。", $"must be at most {max} characters",
            new Dictionary<string, object?> { ["field"] = "overrideReason" });

    /// <summary>The 审核意见 a return would send, the reviewer's words with a line per image to replace, is longer than a case keeps.</summary>
    public static CaseRefusal FeedbackTooLong(int length) =>
        new(CaseRefusalKind.Unprocessable, "feedback_too_long",
            $"退回的审核意见（审核意见加每张待重传图片的原因和说明）共 {length} 个字符，超过 {ImageDecisionRules.MaxFeedback} 个字符的上限：请精简审核意见或图片说明后再退回。",
            $"The return's feedback (the reviewer's words plus each image's reason and note) is {length} characters, over the limit of {ImageDecisionRules.MaxFeedback}; shorten the feedback or the notes.",
            new Dictionary<string, object?> { ["length"] = length, ["maxLength"] = ImageDecisionRules.MaxFeedback });

    public static CaseRefusal NotLookedAt() =>
        new(CaseRefusalKind.Conflict, "not_looked_at", "审核通过前请先认领或打开该案件查看。", "Claim or open the case before approving it.");

    public static CaseRefusal IllegalTransition(CaseState state, ReviewAction action) =>
        new(CaseRefusalKind.Conflict, "illegal_transition", $"案件当前为“{Label(state)}”，不能执行“{Label(action)}”。",
            $"A case in state {state} cannot take the action {action}.",
            new Dictionary<string, object?> { ["state"] = state.ToString(), ["action"] = action.ToString() });

    public static CaseRefusal ClaimHeld(ReviewCase reviewCase) =>
        new(CaseRefusalKind.Conflict, "claim_held", $"该案件已由 {reviewCase.ClaimedBy} 认领，认领有效期至 {ChinaTime.ToMinute(reviewCase.ClaimExpiresAt!.Value)}（北京时间）。",
            $"The case is held by {reviewCase.ClaimedBy} until {reviewCase.ClaimExpiresAt:O}.",
            new Dictionary<string, object?> { ["claimedBy"] = reviewCase.ClaimedBy, ["claimExpiresAt"] = reviewCase.ClaimExpiresAt });

    public static CaseRefusal NotFullyReviewed(IReadOnlyList<ImageReview> blocking) =>
        new(CaseRefusalKind.Conflict, "images_not_reviewed", $"还有 {blocking.Count} 张图片未审核或正等待更换：请先逐张审核通过，或退回申请。",
            $"{blocking.Count} image(s) are unreviewed or awaiting replacement; approve every image first, or return the application.",
            new Dictionary<string, object?>
            {
                ["unreviewed"] = blocking.Where(i => i.Decision == ImageDecision.Pending).Select(i => i.ImageId).ToList(),
                ["awaitingReplacement"] = blocking.Where(i => i.Decision == ImageDecision.ReplacementRequested).Select(i => i.ImageId).ToList(),
            });

    public static CaseRefusal MaterialsMissing(IReadOnlyList<string> missing) =>
        new(CaseRefusalKind.Conflict, "materials_missing",
            $"该申请仍缺少必传材料：{string.Join("、", missing)}。请退回考生补传；确需通过的，请勾选“缺材料仍通过”并填写理由。",
            $"Required materials are still missing: {string.Join(", ", missing)}. Return the application, or pass it with overrideMissingMaterials and an overrideReason.",
            new Dictionary<string, object?> { ["missingMaterials"] = missing });

    /// <summary>Claims and per-image decisions are possible only while the case awaits the reviewer's level.</summary>
    public static CaseRefusal? RefuseUnlessReviewableAt(this ReviewCase reviewCase, ReviewLevel level) =>
        reviewCase.ReviewableAt == level
            ? null
            : new(CaseRefusalKind.Conflict, "not_reviewable",
                $"案件当前为“{Label(reviewCase.State)}”，不在{(level == ReviewLevel.Site ? "考点审核" : "考区复审")}阶段。",
                $"A case in state {reviewCase.State} does not await {level.ToString().ToLowerInvariant()} review.",
                new Dictionary<string, object?> { ["state"] = reviewCase.State.ToString() });

    /// <summary>Only the holder of a live claim decides; an expired lease holds nothing.</summary>
    public static CaseRefusal? RefuseUnlessHeldBy(this ReviewCase reviewCase, string actor, DateTimeOffset now)
    {
        if (reviewCase.IsHeldBy(actor, now))
        {
            return null;
        }
        if (!reviewCase.HasActiveClaim(now))
        {
            return new(CaseRefusalKind.Conflict, "claim_not_held", "请先认领该案件再作决定（尚未认领，或认领已过期）。",
                "Claim the case before deciding on it (no claim, or the lease expired).");
        }
        return new(CaseRefusalKind.Conflict, "claim_not_held",
            $"该案件已由 {reviewCase.ClaimedBy} 认领（至 {ChinaTime.ToMinute(reviewCase.ClaimExpiresAt!.Value)}，北京时间），只有认领人可以作决定。",
            $"The case is held by {reviewCase.ClaimedBy} until {reviewCase.ClaimExpiresAt:O}; only the holder can decide.",
            new Dictionary<string, object?> { ["claimedBy"] = reviewCase.ClaimedBy, ["claimExpiresAt"] = reviewCase.ClaimExpiresAt });
    }

    /// <summary>The state machine's "no" for an action the case's state does not allow.</summary>
    public static CaseRefusal? RefuseUnlessAllowed(this ReviewCase reviewCase, ReviewAction action) =>
        ReviewStateMachine.Next(reviewCase.State, action) is null ? IllegalTransition(reviewCase.State, action) : null;

    public static string Label(CaseState state) => state switch
    {
        CaseState.SiteReview => "考点审核中",
        CaseState.Returned => "退回修改",
        CaseState.AreaReview => "考区复审中",
        CaseState.Approved => "审核通过",
        _ => "审核拒绝",
    };

    public static string Label(ReviewAction action) => action switch
    {
        ReviewAction.Resubmit => "重新提交",
        ReviewAction.SiteApprove => "考点通过",
        ReviewAction.AreaApprove => "审核通过",
        ReviewAction.Return => "退回修改",
        ReviewAction.Reject => "审核拒绝",
        _ => "恢复审核",
    };
}
