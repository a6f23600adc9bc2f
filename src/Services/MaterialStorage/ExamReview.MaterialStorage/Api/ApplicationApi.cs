using System.Security.Claims;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.MaterialStorage.Pages;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Mvc;

namespace ExamReview.MaterialStorage.Api;

/// <summary>What the candidate (and staff in whose scope the application is) read: the catalog, the upload page, an image.</summary>
public static class ApplicationApi
{
    public static RouteGroupBuilder MapApplicationApi(this RouteGroupBuilder group)
    {
        group.MapGet("/catalog", GetCatalog).WithName("getMaterialCatalog").WithSummary("某考试年度和考区适用的材料类型")
            .WithDescription("The material types in force for an exam year and area (defaults: the caller's, else the latest national; \"*\" = the national default).")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "catalog_not_configured", "unknown_area");
        group.MapGet("/candidates/{candidateId:guid}", GetApplication).WithName("getApplication").WithSummary("考生的材料上传页：审核意见、状态、材料清单和每张图片的锁定状态")
            .WithDescription("The candidate's upload page: the feedback to act on, state, checklist and every image with its lock (已锁定 …).")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "application_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope")
            .ProducesProblemCodes(StatusCodes.Status503ServiceUnavailable, "application_pending")
            .Produces(StatusCodes.Status304NotModified)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(OptionalHeader("If-None-Match", "上次读取该页面时得到的 ETag：页面未变时返回 304，不再传输页面。", "\"6f1c2d3e4b5a4c6d8e7f9a0b1c2d3e4f\""));
                operation.Parameters.Add(OptionalHeader("Prefer", "与 If-None-Match 同用（RFC 7240）：页面未变时最多等待 N 秒（上限 25），期间页面一有变化（如检测结果）立即返回 200；到时仍未变返回 304，带 Preference-Applied。",
                    "wait=25"));
                return Task.CompletedTask;
            });
        group.MapGet("/candidates/{candidateId:guid}/images/{imageId:guid}/content", GetContent).WithName("getImageContent").WithSummary("查看一张图片（带水印的副本）")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "application_not_found", "image_not_found", "copy_unavailable").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "copy_not_ready");
        return group;
    }

    public sealed record CatalogCall(
        [FromQuery(Name = "areaCode")] string? AreaCode,
        ClaimsPrincipal User,
        MaterialStorageDbContext Db,
        CatalogStore Catalogs);

    // examYear stays the handler's own parameter: a value that does not parse is answered (400) under the parameter's
    // name, which through the record would be the property's ("ExamYear"). It comes first, as in the OpenAPI document.
    public static async Task<Results<Ok<CatalogView>, ProblemHttpResult>> GetCatalog(int? examYear, [AsParameters] CatalogCall call, CancellationToken ct)
    {
        var (areaCode, user, db, catalogs) = call;
        // An area asked for by name must be one Registration announced: an unknown one would get the national default
        // (the catalog of every area without its own), which no candidate of it will ever upload against.
        if (areaCode is not null && areaCode != CatalogVersion.NationalArea && !await db.KnownAreas.AnyAsync(a => a.Code == areaCode, ct))
        {
            return KnownArea.Unknown(areaCode).ToProblem();
        }
        // A candidate without parameters gets the catalog of their own application.
        var own = user.CandidateId() is { } candidateId && examYear is null && areaCode is null
            ? await db.Applications.AsNoTracking().Where(a => a.CandidateId == candidateId).Select(a => new { a.ExamYear, a.AreaCode }).SingleOrDefaultAsync(ct)
            : null;
        var area = areaCode ?? own?.AreaCode ?? user.Area() ?? CatalogVersion.NationalArea;
        var year = examYear ?? own?.ExamYear ?? await db.Catalogs.Where(c => c.AreaCode == area || c.AreaCode == CatalogVersion.NationalArea)
            .OrderByDescending(c => c.ExamYear).Select(c => (int?)c.ExamYear).FirstOrDefaultAsync(ct) ?? 0;
        var found = await catalogs.FindAsync(db, year, area, ct);
        return found is null
            ? Problems.Localised(StatusCodes.Status404NotFound, "catalog_not_configured", $"{year} 年考区 {ProblemText.Echo(area)} 尚未配置材料目录。",
                $"No material catalog is configured for exam year {year}, area '{ProblemText.Echo(area)}'.")
            : TypedResults.Ok(CatalogsApi.ToView(found));
    }

    /// <summary>
    /// The page, with an ETag: a caller that sends it back in If-None-Match gets 304 from one small query while
    /// nothing changed. The page names the candidate and their ID number, so it is <c>no-store</c> like every API answer
    /// (SecurityHeadersMiddleware): a browser keeps no copy on disk (a shared computer in an internet café), and the
    /// page's client (not in this repository) must keep the ETag in memory and send it back itself. With
    /// <c>Prefer: wait=N</c> as well, the 304 waits up to N seconds (at most 25) for a change (<see cref="PageWait"/>).
    /// </summary>
    public static async Task<Results<Ok<ApplicationView>, StatusCodeHttpResult, ProblemHttpResult>> GetApplication([AsParameters] PageRequest page)
    {
        var (candidateId, http, db) = (page.CandidateId, page.Http, page.Db);
        var wait = PageWait.Requested(http.Request);
        // Only a caller who may read the page and holds its current copy waits; anyone else is answered at once.
        var (stamp, waited) = await PageWait.StampWhenChangedAsync(page, wait,
            answerNow: s => Refuse(http.User, candidateId, s?.SiteCode, s?.AreaCode) is not null || !s!.Matches(http.Request));
        // The candidate's own page that is not here yet may be on its way (ApplicationArrival); anyone else's is not found.
        if (stamp is null && http.User.IsInRole(Roles.Candidate) && http.User.CandidateId() == candidateId)
        {
            return (await ApplicationArrival.MissingAsync(db, candidateId, page.Clock.GetUtcNow(), page.Ct)).ToProblem(http.Response);
        }
        if (Refuse(http.User, candidateId, stamp?.SiteCode, stamp?.AreaCode) is { } refusal)
        {
            return refusal;
        }
        if (stamp!.Matches(http.Request))
        {
            Validate(http.Response, stamp);
            if (waited)
            {
                http.Response.Headers["Preference-Applied"] = $"wait={(int)wait.TotalSeconds}";
            }
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        // Read after the stamp: a change committed in between makes the page newer than its ETag, never older.
        var context = await ApplicationContext.LoadAsync(db, page.Catalogs, candidateId, tracking: false, page.Ct);
        if (Refuse(http.User, candidateId, context?.Application) is { } gone)
        {
            return gone;
        }
        Validate(http.Response, stamp);
        return TypedResults.Ok(MaterialViews.ToView(context!));
    }

    /// <summary>What the page handler needs; <see cref="Changes"/> wakes it when it waits.</summary>
    public sealed record PageRequest(Guid CandidateId, HttpContext Http, MaterialStorageDbContext Db, CatalogStore Catalogs, PageChanges Changes, TimeProvider Clock, CancellationToken Ct);

    private static OpenApiParameter OptionalHeader(string name, string description, string example) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        Example = System.Text.Json.Nodes.JsonValue.Create(example),
    };

    /// <summary>
    /// The page's validator. No caching header of its own: the security headers make it <c>no-store</c> (personal data),
    /// which leaves revalidation to the caller that kept the ETag.
    /// </summary>
    private static void Validate(HttpResponse response, ApplicationPageStamp stamp) => response.GetTypedHeaders().ETag = stamp.ETag;

    public sealed record ImageContentCall(
        [FromRoute(Name = "candidateId")] Guid CandidateId,
        [FromRoute(Name = "imageId")] Guid ImageId,
        ClaimsPrincipal User,
        MaterialStorageDbContext Db,
        IObjectStore Store);

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetContent([AsParameters] ImageContentCall call, CancellationToken ct)
    {
        var (candidateId, imageId, user, db, store) = call;
        var application = await db.Applications.AsNoTracking().Include(a => a.Images).SingleOrDefaultAsync(a => a.CandidateId == candidateId, ct);
        if (Refuse(user, candidateId, application) is { } refusal)
        {
            return refusal;
        }
        var image = application!.Images.SingleOrDefault(i => i.Id == imageId);
        if (image is null)
        {
            return MaterialRefusals.ImageNotFound(imageId).ToProblem();
        }
        // Everyone, the candidate included, sees the watermarked copy ("图片中显示水印，表示提交成功"); the original
        // is read only by the services that process it.
        var content = image.ReviewerCopyKey is { } copy ? await store.GetAsync(copy, ct) : null;
        if (content is not null)
        {
            return TypedResults.File(content.Content, content.ContentType);
        }
        return image.Validation == ValidationState.Pending
            ? Problems.Localised(StatusCodes.Status409Conflict, "copy_not_ready", "带水印的图片尚未生成，请稍后再试。",
                "The watermarked copy of this image is not ready yet; try again shortly.")
            : Problems.Localised(StatusCodes.Status404NotFound, "copy_unavailable", "这张图片无法读取，没有可显示的带水印图片，请删除后重新上传。",
                "The image could not be read, so there is no watermarked copy to show; delete it and upload again.");
    }

    /// <summary>Candidates read their own application; staff the applications in their scope.</summary>
    internal static ProblemHttpResult? Refuse(ClaimsPrincipal user, Guid candidateId, MaterialApplication? application) =>
        Refuse(user, candidateId, application?.SiteCode, application?.AreaCode);

    private static ProblemHttpResult? Refuse(ClaimsPrincipal user, Guid candidateId, string? siteCode, string? areaCode)
    {
        if (user.IsInRole(Roles.Candidate) && user.CandidateId() != candidateId)
        {
            return ImagesApi.NotYours(candidateId);
        }
        // Missing and outside the caller's scope are one answer (issue 15 item 3).
        return siteCode is not null && areaCode is not null && user.CanActFor(candidateId, siteCode, areaCode)
            ? null
            : ImagesApi.NotYours(candidateId);
    }
}
