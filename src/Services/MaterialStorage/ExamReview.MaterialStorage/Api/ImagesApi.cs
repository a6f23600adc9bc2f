using System.Security.Claims;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ExamReview.MaterialStorage.Api;

// Handlers bind these with [AsParameters]; every write needs the same services, listed in each record
// because the binder does not nest [AsParameters].
public sealed record UploadRequest(
    Guid CandidateId,
    [FromForm] string? MaterialType,
    [FromForm] bool? Normalise,
    IFormFile? File,
    ClaimsPrincipal User,
    MaterialStorageDbContext Db,
    CatalogStore Catalogs,
    IObjectStore Store,
    ImageNormalisationClient Normaliser,
    TimeProvider Clock,
    HttpRequest Request,
    HttpResponse Response);

public sealed record ReplaceRequest(
    Guid CandidateId,
    Guid ImageId,
    [FromForm] bool? Normalise,
    IFormFile? File,
    ClaimsPrincipal User,
    MaterialStorageDbContext Db,
    CatalogStore Catalogs,
    IObjectStore Store,
    ImageNormalisationClient Normaliser,
    TimeProvider Clock,
    HttpRequest Request,
    HttpResponse Response,
    ILogger<ReplaceRequest> Logger);

public sealed record DeleteRequest(
    Guid CandidateId,
    Guid ImageId,
    ClaimsPrincipal User,
    MaterialStorageDbContext Db,
    CatalogStore Catalogs,
    IObjectStore Store,
    TimeProvider Clock,
    HttpResponse Response,
    ILogger<DeleteRequest> Logger);

/// <summary>
/// The candidate's image writes: upload, replace, delete. The file is read (and normalised) and its object stored
/// once, on the first pass the aggregate allows (a rehearsal, without the application's row lock); the pass that
/// commits asks the aggregate again on the fresh application under the lock (see <see cref="ApplicationWrites"/>),
/// and a refused write removes its object again.
/// </summary>
public static class ImagesApi
{
    public static RouteGroupBuilder MapImagesApi(this RouteGroupBuilder group)
    {
        group.MapPost("/candidates/{candidateId:guid}/images", Upload)
            .RequireAuthorization(Policies.Candidate)
            .RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .DisableAntiforgery() // bearer-token API: no cookies, so no cross-site form posts to defend against
            .WithName("uploadImage").WithSummary("上传一张材料图片")
            .WithDescription("Uploads one image (multipart: materialType, file; normalise=true lets the platform shrink a phone photo).")
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, "not_your_application").ProducesProblemCodes(StatusCodes.Status404NotFound, "application_not_found")
            .ProducesProblemCodes(StatusCodes.Status503ServiceUnavailable, "application_pending")
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "file_too_large").ProducesProblemCodes(StatusCodes.Status415UnsupportedMediaType, "unsupported_format")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "application_locked", "catalog_not_configured", "material_count_full")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "file_empty", "normalisation_failed", "unknown_material_type", "material_not_applicable");
        group.MapPut("/candidates/{candidateId:guid}/images/{imageId:guid}", Replace)
            .RequireAuthorization(Policies.Candidate)
            .RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .DisableAntiforgery()
            .WithName("replaceImage").WithSummary("更换一张未锁定的图片（新图片有新的编号）")
            .WithDescription("Replaces an unlocked image with a new file (multipart: file, normalise); the replacement gets a new image id.")
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, "not_your_application").ProducesProblemCodes(StatusCodes.Status404NotFound, "application_not_found")
            .ProducesProblemCodes(StatusCodes.Status503ServiceUnavailable, "application_pending")
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "file_too_large").ProducesProblemCodes(StatusCodes.Status415UnsupportedMediaType, "unsupported_format")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "image_not_found")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "application_locked", "catalog_not_configured", "image_approved", "image_locked")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "file_empty", "normalisation_failed", "material_not_applicable");
        group.MapDelete("/candidates/{candidateId:guid}/images/{imageId:guid}", Delete).RequireAuthorization(Policies.Candidate).WithName("deleteImage").WithSummary("删除一张未锁定的图片")
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, "not_your_application").ProducesProblemCodes(StatusCodes.Status404NotFound, "application_not_found", "image_not_found")
            .ProducesProblemCodes(StatusCodes.Status503ServiceUnavailable, "application_pending")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "application_locked", "image_approved", "image_locked");
        return group;
    }

    // The binder takes the first of several file parts (or joins several materialType values with a comma): a
    // request that sends more is refused, not half-taken.
    private const string OneFileZh = "每次只能上传一个文件（multipart 字段 file 只能出现一次）。";
    private const string OneFileEn = "send exactly one file per request (the multipart field 'file' once)";

    public static async Task<Results<Created<ImageView>, ProblemHttpResult>> Upload([AsParameters] UploadRequest request, CancellationToken ct)
    {
        var r = request;
        if (r.User.CandidateId() != r.CandidateId)
        {
            return NotYours(r.CandidateId);
        }
        var errors = new RequestErrors()
            .Require(!string.IsNullOrWhiteSpace(r.MaterialType), "materialType", "必填（材料类型）", "is required (the material type)")
            .Require(r.File is not null, "file", "必填（multipart 字段 file）", "is required (multipart field 'file')")
            .Require(r.Request.Form.Files.Count <= 1, "file", OneFileZh, OneFileEn)
            .Require(r.Request.Form["materialType"].Count <= 1, "materialType", "只能给一个材料类型。", "give one material type");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        CheckedFile? read = null;
        MaterialImage? image = null;
        MaterialApplication? written = null;
        var refused = await ApplicationWrites.WriteWithRetriesAsync(r.Db, r.Catalogs, r.CandidateId, r.Clock, rehearseFirst: true, async context =>
        {
            var application = written = context.Application;
            if (application.CheckUpload(r.MaterialType!, context.Catalog, context.Profile) is { } refusal)
            {
                return refusal;
            }
            read ??= await UploadedFiles.ReadAsync(r.File!, r.Normalise == true, context.Settings, r.Normaliser, ct);
            if (read.Refusal is not null)
            {
                return read.Refusal;
            }
            image ??= await UploadedFiles.StoreAsync(application, r.MaterialType!, r.File!.FileName, read, r.Store, r.Clock.GetUtcNow(), ct);
            return application.Upload(image, context.Catalog, context.Profile, r.Clock.GetUtcNow());
        }, () => UploadedFiles.RemoveAsync(r.Store, image), ct);
        if (refused is not null)
        {
            return refused.ToProblem(r.Response);
        }
        return TypedResults.Created($"{MaterialsApi.Prefix}/candidates/{r.CandidateId}/images/{image!.Id}", MaterialViews.ToView(written!, image));
    }

    public static async Task<Results<Ok<ImageView>, ProblemHttpResult>> Replace([AsParameters] ReplaceRequest request, CancellationToken ct)
    {
        var r = request;
        if (r.User.CandidateId() != r.CandidateId)
        {
            return NotYours(r.CandidateId);
        }
        if (r.File is null)
        {
            return Problems.Invalid("file", "必填（multipart 字段 file）", "is required (multipart field 'file')");
        }
        if (r.Request.Form.Files.Count > 1)
        {
            return Problems.Invalid("file", OneFileZh, OneFileEn);
        }
        CheckedFile? read = null;
        MaterialImage? image = null;
        MaterialApplication? written = null;
        MaterialImage? replaced = null;
        var refused = await ApplicationWrites.WriteWithRetriesAsync(r.Db, r.Catalogs, r.CandidateId, r.Clock, rehearseFirst: true, async context =>
        {
            var application = written = context.Application;
            if (application.CheckReplace(r.ImageId, context.Catalog, context.Profile) is { } refusal)
            {
                return refusal;
            }
            var old = application.Images.Single(i => i.Id == r.ImageId);
            read ??= await UploadedFiles.ReadAsync(r.File, r.Normalise == true, context.Settings, r.Normaliser, ct);
            if (read.Refusal is not null)
            {
                return read.Refusal;
            }
            image ??= await UploadedFiles.StoreAsync(application, old.MaterialType, r.File.FileName, read, r.Store, r.Clock.GetUtcNow(), ct);
            replaced = old;
            return application.Replace(old.Id, image, context.Catalog, context.Profile, r.Clock.GetUtcNow());
        }, () => UploadedFiles.RemoveAsync(r.Store, image), ct);
        if (refused is not null)
        {
            return refused.ToProblem(r.Response);
        }
        await UploadedFiles.DeleteObjectsAsync(r.Store, replaced!, r.Logger);
        return TypedResults.Ok(MaterialViews.ToView(written!, image!));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete([AsParameters] DeleteRequest request, CancellationToken ct)
    {
        var r = request;
        if (r.User.CandidateId() != r.CandidateId)
        {
            return NotYours(r.CandidateId);
        }
        MaterialImage? deleted = null;
        var refused = await ApplicationWrites.WriteWithRetriesAsync(r.Db, r.Catalogs, r.CandidateId, r.Clock, rehearseFirst: false, context =>
        {
            deleted = context.Application.Images.SingleOrDefault(i => i.Id == r.ImageId);
            return Task.FromResult(context.Application.Delete(r.ImageId, context.Catalog, context.Profile));
        }, () => Task.CompletedTask, ct);
        if (refused is not null)
        {
            return refused.ToProblem(r.Response);
        }
        await UploadedFiles.DeleteObjectsAsync(r.Store, deleted!, r.Logger);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Another candidate's application answers exactly as a missing one (issue 15 item 3): a candidate cannot learn
    /// which candidate ids have applications.
    /// </summary>
    internal static ProblemHttpResult NotYours(Guid candidateId) => MaterialRefusals.ApplicationNotFound(candidateId).ToProblem();
}
