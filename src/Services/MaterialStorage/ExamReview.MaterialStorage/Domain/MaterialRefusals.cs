namespace ExamReview.MaterialStorage.Domain;

/// <summary>Refusals more than one rule gives, worded once.</summary>
public static class MaterialRefusals
{
    public static Refusal ApplicationNotFound(Guid candidateId) => new(RefusalKind.NotFound, "application_not_found",
        "没有找到该考生的材料申请（报名是否已完成？）。", $"Candidate {candidateId} has no material application (is the registration complete?).");

    public static Refusal ImageNotFound(Guid imageId) => new(RefusalKind.NotFound, "image_not_found",
        "该图片不存在（可能已被删除或更换）。", $"Image {imageId} does not exist in this application.");

    public static Refusal ApplicationLocked(string detailZh, string detailEn) => new(RefusalKind.Conflict, "application_locked", detailZh, detailEn);

    public static Refusal CatalogMissing(MaterialApplication application) => new(RefusalKind.Conflict, "catalog_not_configured",
        $"{application.ExamYear} 年本考区尚未配置材料目录，请联系考区管理员。",
        $"No material catalog is configured for exam year {application.ExamYear}, area '{application.AreaCode}'; the exam area's operator must load one.");
}
