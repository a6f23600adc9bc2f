namespace ExamReview.MaterialStorage.Domain;

public sealed record MaterialTypeDefinition(string Code, string Name, int MinCount, int MaxCount);

/// <summary>
/// The material types every area asks for, with their counts (seeds/004: ID front, back and hand-held = 3).
/// Per-area, per-year catalogs with rules over the candidate profile replace this default as data.
/// </summary>
public static class DefaultMaterialCatalog
{
    public const long DefaultMaxImageBytes = 200 * 1024;

    public static readonly IReadOnlyList<MaterialTypeDefinition> Types =
    [
        new("id-card", "有效身份证明（正面、反面、手持）", 3, 3),
        new("institution-licence", "医疗机构执业许可证副本", 0, 2),
        new("trial-period-certificate", "试用期考核合格证明", 0, 5),
        new("graduation-certificate", "毕业证书", 1, 2),
        new("registration-notice", "网上报名成功通知单", 0, 1),
    ];

    public static MaterialTypeDefinition? Find(string? code) => Types.FirstOrDefault(t => t.Code == code);
}
