namespace ExamReview.MaterialStorage.Domain;

/// <summary>Refusals more than one rule gives, worded once.</summary>
public static class MaterialRefusals
{
    public static Refusal ApplicationNotFound(Guid candidateId) => new(RefusalKind.NotFound, "application_not_found",
        "没有找到该考生的材料申请（报名是否已完成？）。", $"Candidate {candidateId} has no material application (is the registration complete?).");

    /// <summary>
    /// The candidate was handed over (a session exists) but the registration's message has not opened the application
    /// here yet: a moment's lag between the services, longer when the evening peak queues messages.
    /// </summary>
    public static Refusal ApplicationPending(Guid candidateId, TimeSpan retryAfter) => new(RefusalKind.NotYet, "application_pending",
        "报名信息正在同步到材料系统，请稍候几秒再试。", $"Candidate {candidateId}'s registration has not reached the material service yet; try again in a few seconds.")
    {
        RetryAfter = retryAfter,
    };

    public static Refusal ImageNotFound(Guid imageId) => new(RefusalKind.NotFound, "image_not_found",
        "该图片不存在（可能已被删除或更换）。", $"Image {imageId} does not exist in this application.");

    public static Refusal ApplicationLocked(string detailZh, string detailEn) => new(RefusalKind.Conflict, "application_locked", detailZh, detailEn);

    /// <summary>
    /// A locked application's refusal. While the registration data awaits the site staff's correction the candidate
    /// is told what to do instead: the materials need no change.
    /// </summary>
    public static Refusal Locked(MaterialApplication application, string detailZh, string detailEn) =>
        application.State == ApplicationState.AwaitingCorrection
            ? ApplicationLocked("报名信息有问题，已退回由考点修改：请联系考点考务工作人员修改报名信息，材料无需更改。",
                "The registration data was returned for the exam site's staff to correct; contact the exam site. The materials need no change.")
            : ApplicationLocked(detailZh, detailEn);

    public static Refusal CatalogMissing(MaterialApplication application) => new(RefusalKind.Conflict, "catalog_not_configured",
        $"{application.ExamYear} 年本考区尚未配置材料目录，请联系考区管理员。",
        $"No material catalog is configured for exam year {application.ExamYear}, area '{application.AreaCode}'; the exam area's operator must load one.");
}
