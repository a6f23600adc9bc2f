using ExamReview.Contracts;

namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>
/// What a timeline entry says beside its kind, in Chinese: reviewers read it in the console, operators and the
/// provinces through the API. Ids stay whole (the audit finds an image or a case by its id); times are Beijing time,
/// the time every candidate and reviewer works in; the messages' type names stay as sent (they name the contract).
/// </summary>
public static class TimelineText
{
    public const string DecidedByProvince = "由省级系统决定";
    public const string EscalatedToArea = "转交考区审核员处理";
    public const string BackToSiteReview = "报名信息已更正，回到考点审核";
    public const string EveryImage = "全部图片";
    public const string EveryImageNotApproved = "全部未通过的图片";

    public static string At(DateTimeOffset at) =>
        ChinaTime.ToSecond(at) + "（北京时间）";

    public static string Image(Guid imageId) => $"图片 {imageId}";

    public static string Images(IEnumerable<Guid> imageIds) => $"图片 {string.Join("、", imageIds)}";

    public static string ImageCount(int count) => $"{count} 张图片";

    /// <summary>The lock a final decision sends at once: the application takes no upload after it, even while the result is held.</summary>
    public static string FinalLock(int count) => $"{ImageCount(count)}，终审决定，申请关闭";

    public static string ClaimedUntil(DateTimeOffset until) => $"认领至{At(until)}";

    /// <summary>Who held the case when it was decided (a decision without a live claim says so).</summary>
    public static string ClaimedBy(string? reviewer, DateTimeOffset? claimedAt) =>
        reviewer is null || claimedAt is null ? "决定时无人认领" : $"{reviewer} 于 {At(claimedAt.Value)}认领";

    public static string LeaseEnded(string? reviewer, DateTimeOffset until) => $"{reviewer} 的认领已于 {At(until)}到期";

    public static string ReplacementRequested(Guid imageId, string reasonZh, string? note) =>
        $"{Image(imageId)}：{reasonZh}{(note is null ? "" : $"（{note}）")}";

    public static string MissingOverridden(IEnumerable<string> missing, string reason) => $"缺少 {string.Join("、", missing)} 仍通过；理由：{reason.Trim()}";

    public static string NamedInReturn(Guid imageId) => $"{Image(imageId)}：退回时一并要求重传";

    /// <summary>An image the return sends back because its automatic check failed, whether or not the reviewer marked it.</summary>
    public static string CheckFailedInReturn(Guid imageId) => $"{Image(imageId)}：检测未通过，退回时一并要求重传";

    /// <summary>A ✓ withdrawn because the image's check failed after it (the only ✓ that is not final).</summary>
    public static string ApprovalWithdrawn(Guid imageId, string reasonZh, string? note) =>
        $"{Image(imageId)}：检测未通过，撤回通过（✓），要求重传：{reasonZh}{(note is null ? "" : $"（{note}）")}";

    public static string ApprovalWithdrawnInReturn(Guid imageId) => $"{Image(imageId)}：检测未通过，撤回通过（✓），退回时一并要求重传";

    /// <summary>
    /// A return for images. One that names none (the 审核意见 says what to change) unlocks every image not approved,
    /// as its unlock says: the line says so rather than "0 张图片".
    /// </summary>
    public static string ReturnedForImages(int count, DateTimeOffset respondBy, string claimedBy) =>
        $"{(count == 0 ? EveryImageNotApproved + "可修改" : ImageCount(count) + "待重传")}，请于 {At(respondBy)}前重新提交；{claimedBy}";

    public static string ReturnedForSupplement(int count, DateTimeOffset respondBy, string claimedBy) =>
        $"要求补充上传材料{(count == 0 ? "" : $"，{ImageCount(count)}待重传")}，请于 {At(respondBy)}前重新提交；{claimedBy}";

    public static string ReturnedForRegistrationData(DateTimeOffset respondBy, string claimedBy) =>
        $"报名信息待考点工作人员更正，请于 {At(respondBy)}前处理；{claimedBy}";

    public static string ReturnedByProvince(IEnumerable<string> reasonsZh, DateTimeOffset respondBy) =>
        $"省级系统退回，原因：{string.Join("、", reasonsZh)}；请于 {At(respondBy)}前重新提交";

    public static string SupplementByProvince(IReadOnlyCollection<string> reasonsZh, DateTimeOffset respondBy) =>
        $"省级系统退回，要求补充上传材料{(reasonsZh.Count == 0 ? "" : $"，原因：{string.Join("、", reasonsZh)}")}；请于 {At(respondBy)}前重新提交";

    public static string Rejected(string reason, string decidedBy) => $"{reason}；{decidedBy}";

    public static string RespondBy(DateTimeOffset due) => $"请于 {At(due)}前重新提交";

    public static string NoResubmission(DateTimeOffset due, ExpiryBehaviour then) =>
        $"截至 {At(due)}未重新提交；{(then == ExpiryBehaviour.Escalate ? "转交考区" : "继续等待")}";

    public static string Submitted(int submissionNumber, int imageCount) => $"第 {submissionNumber} 次提交，{ImageCount(imageCount)}";

    /// <summary>
    /// A resubmission: how many images came in for the round (new in the submission, or joined while the return was on its
    /// way), and how many of them replace an earlier image (as a rule the one the reviewer asked for again).
    /// </summary>
    public static string Resubmitted(int submissionNumber, int replacements, int images, bool late) =>
        $"第 {submissionNumber} 次提交，共 {images} 张，其中替换 {replacements} 张{(late ? "，已过修改截止时间" : "")}";

    public static string ImageSubmitted(Guid imageId, string materialName, Guid? replaces) =>
        $"{Image(imageId)}（{materialName}）{(replaces is { } old ? $"，替换原图片 {old}" : "")}";

    /// <summary>An upload made while the return was on its way to the candidate: the case holds it for the next round.</summary>
    public static string ArrivedDuringReturn(string submitted) => $"{submitted}；上传时退回尚未送达考生，随下一轮审核";

    public static string RegistrationCorrected(IEnumerable<string> fieldNames, string reason) => $"更正{string.Join("、", fieldNames)}：{reason}";

    /// <summary>A correction made before the data return it reached: recorded, but it is not the one the return asks for.</summary>
    public static string CorrectedBeforeReturn(string corrected, DateTimeOffset correctedAt, DateTimeOffset returnedAt) =>
        $"{corrected}（更正于 {At(correctedAt)}，早于 {At(returnedAt)}的退回，案件仍等待更正）";

    /// <summary>
    /// A failing verdict moved the case's version: a decision read before it is refused as a concurrent change (409/412),
    /// and its retry reads the failed check.
    /// </summary>
    public static string CheckFailed(Guid imageId, bool infected, ImageStanding standing) =>
        $"{Image(imageId)}{standing switch
        {
            ImageStanding.Approved => "（已通过 ✓）",
            ImageStanding.NotInCase => "（不在本案当前图片中）",
            _ => "",
        }}检测未通过{(infected ? "（发现恶意代码）" : "")}；案件已更新，此前打开的审核决定需刷新后重试"
        + (standing == ImageStanding.Approved ? "，申请不能通过，可要求重传以撤回 ✓" : "");

    public static string ResumedByReviewer(string reason) => $"报名信息无需更正，由审核员恢复考点审核：{reason}";
}

/// <summary>Where an image stands in its case when something about it is recorded (<see cref="TimelineText.CheckFailed"/>).</summary>
public enum ImageStanding
{
    /// <summary>Current in the case, without its ✓.</summary>
    InCase,

    /// <summary>Current in the case, with its ✓.</summary>
    Approved,

    /// <summary>Not (or no longer) among the case's images: uploaded and not joined yet, or replaced.</summary>
    NotInCase,
}
