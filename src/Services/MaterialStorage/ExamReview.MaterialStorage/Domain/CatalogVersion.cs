using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.MaterialStorage.Domain;

/// <summary>
/// One uploaded version of a material catalog (JSON, checked at upload). Versions are never changed;
/// the highest version of (exam year, area) is in force. <see cref="NationalArea"/> is the default for
/// every area of that year that has no catalog of its own.
/// </summary>
public sealed class CatalogVersion
{
    public const string NationalArea = "*";

    /// <summary>Read no further than this (plus one character, to know it is exceeded) before refusing a document.</summary>
    public const int MaxDocumentChars = 256 * 1024;

    public Guid Id { get; set; }
    public int ExamYear { get; set; }
    public required string AreaCode { get; set; }
    public int Version { get; set; }
    public required string Document { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Which catalog a load or read names: a four-digit exam year, and an area's own code or "*" for the national default.</summary>
    public static Refusal? RefuseScope(int examYear, string areaCode) => new FieldRefusals()
        .Require(examYear is >= 2020 and <= 2100, "examYear", "应为四位数的考试年度。", "must be a four-digit exam year")
        .Require(areaCode == NationalArea || AreaSettings.IsAreaCode(areaCode), "areaCode", "应为 2 至 16 个字母或数字，或用 * 表示全国默认目录。",
            "must be 2 to 16 letters or digits, or * for the national default")
        .ToRefusal();

    /// <summary>
    /// A document is checked in full before it is stored, too long first (it is not parsed then): unknown properties,
    /// facts, operators or values are refused with every error and its JSON path, so nothing unevaluable is ever in force.
    /// </summary>
    public static Refusal? RefuseDocument(string document)
    {
        if (document.Length > MaxDocumentChars)
        {
            return new(RefusalKind.TooLarge, "catalog_too_large", $"材料目录文档最多 {MaxDocumentChars} 个字符。",
                $"A catalog document may be at most {MaxDocumentChars} characters.");
        }
        var (catalog, errors) = CatalogParser.Parse(document);
        // errors lists each path, its stable code and the message in the client's language; a path names the
        // document's own property names, so the detail quotes each one capped.
        return catalog is not null
            ? null
            : new(RefusalKind.Unprocessable, "invalid_catalog",
                $"材料目录未载入：共 {errors.Count} 处错误（位置：{string.Join("、", errors.Select(e => ProblemText.Echo(e.Path)).Distinct())}，说明见 errors）。",
                "The catalog is refused: " + string.Join("; ", errors.Select(e => $"{ProblemText.Echo(e.Path)}: {e.MessageEn}")),
                new Dictionary<string, object?> { ["errors"] = errors.Select(e => new CatalogErrorView(e.Path, e.Code, e.Message)).ToList() })
            {
                FactsEn = new Dictionary<string, object?> { ["errors"] = errors.Select(e => new CatalogErrorView(e.Path, e.Code, e.MessageEn)).ToList() },
            };
    }

    /// <summary>
    /// The version after <paramref name="latestVersion"/> (null: none stored yet) of a checked document. Two operators
    /// loading at once compute the same number; the unique key lets the first stand (<see cref="VersionTaken"/>).
    /// </summary>
    public static CatalogVersion Next(int examYear, string areaCode, int? latestVersion, string document, string actor, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        ExamYear = examYear,
        AreaCode = areaCode,
        Version = (latestVersion ?? 0) + 1,
        Document = document,
        CreatedBy = actor,
        CreatedAt = now,
    };

    /// <summary>Another operator stored this version number first: theirs stands.</summary>
    public Refusal VersionTaken() => new(RefusalKind.Conflict, "catalog_version_conflict", $"{ExamYear}/{AreaCode} 的第 {Version} 版刚被同时载入，请刷新后重试。",
        $"Version {Version} of {ExamYear}/{AreaCode} was loaded concurrently; reload and try again.");
}
