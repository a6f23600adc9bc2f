using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Api;

public sealed record CatalogVersionView(Guid Id, int ExamYear, string AreaCode, int Version, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record AreaSettingsRequest(string? SubmissionMode, long? MaxImageBytes);

public sealed record AreaSettingsView(string AreaCode, string SubmissionMode, long MaxImageBytes);

/// <summary>
/// Operators load material catalogs (JSON documents, see <see cref="CatalogParser"/>) per exam year and area
/// ("*" = the national default of that year) and set each area's upload settings. A document is checked in
/// full before it is stored: unknown properties, facts, operators or values are refused with every error
/// and its JSON path, so nothing unevaluable is ever in force.
/// </summary>
public static partial class CatalogsApi
{
    public const long MinImageBytes = 10 * 1024;
    public const long MaxImageBytesLimit = 10 * 1024 * 1024;
    private const int MaxDocumentChars = 256 * 1024;

    public static void MapCatalogsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(MaterialsApi.Prefix).WithTags("Catalogs").RequireAuthorization(Policies.Operator);
        group.MapGet("/catalogs", List).WithName("listCatalogs").WithSummary("全部已存储的材料目录版本").WithDescription("Every stored catalog version.");
        group.MapPut("/catalogs/{examYear:int}/{areaCode}", Put).Accepts<System.Text.Json.JsonElement>("application/json").WithName("putCatalog").WithSummary("载入某考试年度和考区的新版材料目录（\"*\" 为全国默认）")
            .WithDescription("Loads a new version of the catalog of an exam year and area (\"*\" = national default).")
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "catalog_too_large").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "invalid_catalog").ProducesProblemCodes(StatusCodes.Status409Conflict, "catalog_version_conflict");
        group.MapGet("/catalogs/{examYear:int}/{areaCode}", Get).WithName("getCatalog").WithSummary("已存储的材料目录原文（最新版本或 ?version=n）")
            .WithDescription("The stored document (latest version, or ?version=n), exactly as loaded.").ProducesProblemCodes(StatusCodes.Status404NotFound, "catalog_not_found");
        group.MapGet("/areas/{areaCode}/settings", GetSettings).WithName("getAreaSettings").WithSummary("考区的提交方式和图片大小上限");
        group.MapPut("/areas/{areaCode}/settings", PutSettings).WithName("putAreaSettings").WithSummary("设置考区的提交方式和图片大小上限")
            .WithDescription("Submission mode (explicit | continuous) and image size limit of an exam area.");
    }

    private static async Task<Ok<List<CatalogVersionView>>> List(MaterialStorageDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Catalogs.AsNoTracking().OrderBy(c => c.ExamYear).ThenBy(c => c.AreaCode).ThenBy(c => c.Version)
            .Select(c => new CatalogVersionView(c.Id, c.ExamYear, c.AreaCode, c.Version, c.CreatedBy, c.CreatedAt)).ToListAsync(ct));

    /// <summary>
    /// What loading a catalog needs beside the year: the route's area, the request (the document is read from its body,
    /// as text, so an oversized one is refused before it is parsed) and the services it works with.
    /// </summary>
    public sealed record PutCatalogCall(
        [FromRoute(Name = "areaCode")] string AreaCode,
        HttpRequest Request,
        ClaimsPrincipal User,
        MaterialStorageDbContext Db,
        CatalogStore Catalogs,
        TimeProvider Clock);

    // examYear stays a parameter of its own: bound through the record, the route's {examYear:int} constraint no longer
    // reaches the path parameter's schema and the OpenAPI document would change (it loses the integer pattern).
    private static async Task<Results<Created<CatalogView>, ProblemHttpResult>> Put(int examYear, [AsParameters] PutCatalogCall call, CancellationToken ct)
    {
        var (areaCode, db) = (call.AreaCode, call.Db);
        if (Scope(examYear, areaCode) is { } invalid)
        {
            return invalid;
        }
        string document;
        using (var reader = new StreamReader(call.Request.Body))
        {
            var buffer = new char[MaxDocumentChars + 1];
            var read = await reader.ReadBlockAsync(buffer, ct);
            if (read > MaxDocumentChars)
            {
                return Problems.Localised(StatusCodes.Status413PayloadTooLarge, "catalog_too_large", $"材料目录文档最多 {MaxDocumentChars} 个字符。",
                    $"A catalog document may be at most {MaxDocumentChars} characters.");
            }
            document = new string(buffer, 0, read);
        }
        var (catalog, errors) = CatalogParser.Parse(document);
        if (catalog is null)
        {
            // The parser's per-path messages are written for the operators who edit catalog JSON (English); the detail leads in Chinese.
            return Problems.Unprocessable("invalid_catalog",
                $"材料目录未载入：共 {errors.Count} 处错误（位置：{string.Join("、", errors.Select(e => e.Path).Distinct())}，说明见 errors）。",
                "The catalog is refused: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")),
                new Dictionary<string, object?> { ["errors"] = errors });
        }

        var latest = await db.Catalogs.Where(c => c.ExamYear == examYear && c.AreaCode == areaCode).MaxAsync(c => (int?)c.Version, ct) ?? 0;
        var version = new CatalogVersion
        {
            Id = Guid.CreateVersion7(),
            ExamYear = examYear,
            AreaCode = areaCode,
            Version = latest + 1,
            Document = document,
            CreatedBy = call.User.Actor(),
            CreatedAt = call.Clock.GetUtcNow(),
        };
        db.Catalogs.Add(version);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsLostRace())
        {
            // Another operator stored the same version number first (unique key): theirs stands.
            return Problems.Conflict("catalog_version_conflict", $"{examYear}/{areaCode} 的第 {version.Version} 版刚被同时载入，请刷新后重试。",
                $"Version {version.Version} of {examYear}/{areaCode} was loaded concurrently; reload and try again.");
        }
        var view = ToView(new EffectiveCatalog(version.Id, examYear, areaCode, version.Version, call.Catalogs.Parse(version)));
        return TypedResults.Created($"{MaterialsApi.Prefix}/catalogs/{examYear}/{Uri.EscapeDataString(areaCode)}?version={version.Version}", view);
    }

    public sealed record StoredCatalogCall(
        [FromRoute(Name = "examYear")] int ExamYear,
        [FromRoute(Name = "areaCode")] string AreaCode,
        HttpResponse Response,
        MaterialStorageDbContext Db);

    // version stays the handler's own parameter (a value that does not parse is answered under its own name); it
    // follows the record, so the OpenAPI document lists the route's values first, as before.
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Get([AsParameters] StoredCatalogCall call, int? version, CancellationToken ct)
    {
        var (examYear, areaCode, response, db) = call;
        var query = db.Catalogs.AsNoTracking().Where(c => c.ExamYear == examYear && c.AreaCode == areaCode);
        var found = await (version is { } v ? query.Where(c => c.Version == v) : query.OrderByDescending(c => c.Version)).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return Problems.NotFound("catalog_not_found", $"{examYear}/{areaCode} 没有{(version is null ? "" : $"第 {version} 版")}材料目录。",
                $"No catalog {(version is null ? "" : $"version {version} ")}is stored for {examYear}/{areaCode}.");
        }
        response.Headers["Catalog-Version"] = found.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Content(found.Document, "application/json; charset=utf-8");
    }

    private static async Task<Results<Ok<AreaSettingsView>, ProblemHttpResult>> GetSettings(string areaCode, MaterialStorageDbContext db, CancellationToken ct)
    {
        if (!AreaPattern().IsMatch(areaCode))
        {
            return Problems.Invalid("areaCode", "应为 2 至 16 个字母或数字。", "must be 2 to 16 letters or digits");
        }
        var settings = await db.AreaSettings.AsNoTracking().SingleOrDefaultAsync(s => s.AreaCode == areaCode, ct) ?? AreaSettings.Default(areaCode);
        return TypedResults.Ok(ToView(settings));
    }

    private static async Task<Results<Ok<AreaSettingsView>, ProblemHttpResult>> PutSettings(
        string areaCode, AreaSettingsRequest request, MaterialStorageDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var mode = request.SubmissionMode switch
        {
            "explicit" => SubmissionMode.Explicit,
            "continuous" => SubmissionMode.Continuous,
            _ => (SubmissionMode?)null,
        };
        var errors = new RequestErrors()
            .Require(AreaPattern().IsMatch(areaCode), "areaCode", "应为 2 至 16 个字母或数字。", "must be 2 to 16 letters or digits")
            .Require(mode is not null, "submissionMode", "应为 explicit（提交审核）或 continuous（随传随审）。", "must be explicit or continuous")
            .Require(request.MaxImageBytes is null or (>= MinImageBytes and <= MaxImageBytesLimit), "maxImageBytes", $"应为 {MinImageBytes} 到 {MaxImageBytesLimit} 字节。",
                $"must be from {MinImageBytes} to {MaxImageBytesLimit} bytes");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var settings = await db.AreaSettings.SingleOrDefaultAsync(s => s.AreaCode == areaCode, ct);
        if (settings is null)
        {
            db.AreaSettings.Add(settings = AreaSettings.Default(areaCode));
        }
        settings.SubmissionMode = mode!.Value;
        settings.MaxImageBytes = request.MaxImageBytes ?? AreaSettings.DefaultMaxImageBytes;
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(settings));
    }

    private static ProblemHttpResult? Scope(int examYear, string areaCode)
    {
        var errors = new RequestErrors()
            .Require(examYear is >= 2020 and <= 2100, "examYear", "应为四位数的考试年度。", "must be a four-digit exam year")
            .Require(areaCode == CatalogVersion.NationalArea || AreaPattern().IsMatch(areaCode), "areaCode", "应为 2 至 16 个字母或数字，或用 * 表示全国默认目录。",
                "must be 2 to 16 letters or digits, or * for the national default");
        return errors.Any ? errors.ToProblem() : null;
    }

    internal static CatalogView ToView(EffectiveCatalog found) => new(
        found.ExamYear, found.AreaCode, found.Version,
        found.Catalog.Types.Select(t => new MaterialTypeView(t.Code, t.Name, t.Description, t.ExampleImage, t.MinCount, t.MaxCount, t.CountFact?.Name)).ToList());

    private static AreaSettingsView ToView(AreaSettings s) =>
        new(s.AreaCode, s.SubmissionMode == SubmissionMode.Continuous ? "continuous" : "explicit", s.MaxImageBytes);

    [GeneratedRegex("^[A-Za-z0-9]{2,16}$")]
    private static partial Regex AreaPattern();
}
