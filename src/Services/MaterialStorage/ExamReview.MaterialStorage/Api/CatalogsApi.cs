using System.Security.Claims;
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
/// ("*" = the national default of that year) and set each area's upload settings, for areas Registration announced
/// (<see cref="KnownArea"/>). What is accepted and what a load or a setting changes are <see cref="CatalogVersion"/>'s
/// and <see cref="AreaSettings"/>'s rules.
/// </summary>
public static class CatalogsApi
{
    public static void MapCatalogsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(MaterialsApi.Prefix).WithTags("Catalogs").RequireAuthorization(Policies.Operator);
        group.MapGet("/catalogs", List).WithName("listCatalogs").WithSummary("全部已存储的材料目录版本").WithDescription("Every stored catalog version.");
        group.MapPut("/catalogs/{examYear:int}/{areaCode}", Put).Accepts<System.Text.Json.JsonElement>("application/json").WithName("putCatalog").WithSummary("载入某考试年度和考区的新版材料目录（\"*\" 为全国默认）")
            .WithDescription("Loads a new version of the catalog of an exam year and area (\"*\" = national default).")
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "catalog_too_large").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "invalid_catalog").ProducesProblemCodes(StatusCodes.Status409Conflict, "catalog_version_conflict")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "unknown_area");
        group.MapGet("/catalogs/{examYear:int}/{areaCode}", Get).WithName("getCatalog").WithSummary("已存储的材料目录原文（最新版本或 ?version=n）")
            .WithDescription("The stored document (latest version, or ?version=n), exactly as loaded.").ProducesProblemCodes(StatusCodes.Status404NotFound, "catalog_not_found");
        group.MapGet("/areas/{areaCode}/settings", GetSettings).WithName("getAreaSettings").WithSummary("考区的提交方式和图片大小上限")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "unknown_area");
        group.MapPut("/areas/{areaCode}/settings", PutSettings).WithName("putAreaSettings").WithSummary("设置考区的提交方式和图片大小上限")
            .WithDescription("Submission mode (explicit | continuous) and image size limit of an exam area.").ProducesProblemCodes(StatusCodes.Status404NotFound, "unknown_area");
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
        if (CatalogVersion.RefuseScope(examYear, areaCode) is { } invalid)
        {
            return invalid.ToProblem();
        }
        if (areaCode != CatalogVersion.NationalArea && !await IsKnownAsync(db, areaCode, ct))
        {
            return KnownArea.Unknown(areaCode).ToProblem();
        }
        string document;
        using (var reader = new StreamReader(call.Request.Body))
        {
            // One character past the limit is enough to refuse the document without reading all of it.
            var buffer = new char[CatalogVersion.MaxDocumentChars + 1];
            document = new string(buffer, 0, await reader.ReadBlockAsync(buffer, ct));
        }
        if (CatalogVersion.RefuseDocument(document) is { } refused)
        {
            return refused.ToProblem();
        }

        var latest = await db.Catalogs.Where(c => c.ExamYear == examYear && c.AreaCode == areaCode).MaxAsync(c => (int?)c.Version, ct);
        var version = CatalogVersion.Next(examYear, areaCode, latest, document, call.User.Actor(), call.Clock.GetUtcNow());
        db.Catalogs.Add(version);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsLostRace())
        {
            return version.VersionTaken().ToProblem();
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
            return Problems.NotFound("catalog_not_found", $"{examYear}/{ProblemText.Echo(areaCode)} 没有{(version is null ? "" : $"第 {version} 版")}材料目录。",
                $"No catalog {(version is null ? "" : $"version {version} ")}is stored for {examYear}/{ProblemText.Echo(areaCode)}.");
        }
        response.Headers["Catalog-Version"] = found.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Content(found.Document, "application/json; charset=utf-8");
    }

    private static async Task<Results<Ok<AreaSettingsView>, ProblemHttpResult>> GetSettings(string areaCode, MaterialStorageDbContext db, CancellationToken ct)
    {
        if (AreaSettings.RefuseArea(areaCode) is { } invalid)
        {
            return invalid.ToProblem();
        }
        if (!await IsKnownAsync(db, areaCode, ct))
        {
            return KnownArea.Unknown(areaCode).ToProblem();
        }
        var settings = await db.AreaSettings.AsNoTracking().SingleOrDefaultAsync(s => s.AreaCode == areaCode, ct) ?? AreaSettings.Default(areaCode);
        return TypedResults.Ok(ToView(settings));
    }

    private static async Task<Results<Ok<AreaSettingsView>, ProblemHttpResult>> PutSettings(
        string areaCode, AreaSettingsRequest request, MaterialStorageDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (AreaSettings.RefuseChange(areaCode, request.SubmissionMode, request.MaxImageBytes, out var change) is { } invalid)
        {
            return invalid.ToProblem();
        }
        if (!await IsKnownAsync(db, areaCode, ct))
        {
            return KnownArea.Unknown(areaCode).ToProblem();
        }
        var settings = await db.AreaSettings.SingleOrDefaultAsync(s => s.AreaCode == areaCode, ct);
        if (settings is null)
        {
            db.AreaSettings.Add(settings = AreaSettings.Default(areaCode));
        }
        settings.Apply(change, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToView(settings));
    }

    private static Task<bool> IsKnownAsync(MaterialStorageDbContext db, string areaCode, CancellationToken ct) =>
        db.KnownAreas.AnyAsync(a => a.Code == areaCode, ct);

    internal static CatalogView ToView(EffectiveCatalog found) => new(
        found.ExamYear, found.AreaCode, found.Version,
        found.Catalog.Types.Select(t => new MaterialTypeView(t.Code, t.Name, t.Description, t.ExampleImage, t.MinCount, t.MaxCount, t.CountFact?.Name)).ToList());

    private static AreaSettingsView ToView(AreaSettings s) =>
        new(s.AreaCode, s.SubmissionMode == SubmissionMode.Continuous ? "continuous" : "explicit", s.MaxImageBytes);
}
