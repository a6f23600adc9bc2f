using System.Security.Claims;
using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Api;

public sealed record ImageView(
    Guid ImageId,
    string MaterialType,
    string ContentType,
    long Length,
    string Sha256,
    string? FileName,
    string Validation,
    IReadOnlyList<ValidationFinding> Findings,
    string Review,
    bool Locked,
    DateTimeOffset UploadedAt);

public sealed record ChecklistItem(string MaterialType, string Name, int MinCount, int MaxCount, int Uploaded, int Missing);

public sealed record ApplicationView(
    Guid ApplicationId,
    Guid CandidateId,
    string RegistrationNumber,
    string AreaCode,
    string SiteCode,
    string State,
    bool Locked,
    int SubmissionNumber,
    string? Feedback,
    DateTimeOffset? SubmittedAt,
    IReadOnlyList<ChecklistItem> Checklist,
    IReadOnlyList<ImageView> Images);

public sealed record SubmitResponse(string Message, int SubmissionNumber, DateTimeOffset SubmittedAt);

public static class MaterialsApi
{
    public const string Prefix = "/api/v1/materials";
    public const string SubmittedMessage = "上报完成，内容已锁定";
    private static readonly JsonSerializerOptions FindingJson = new(JsonSerializerDefaults.Web);

    public static void MapMaterialsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Materials");
        group.MapGet("/catalog", () => TypedResults.Ok(DefaultMaterialCatalog.Types));
        group.MapGet("/candidates/{candidateId:guid}", GetApplication);
        group.MapPost("/candidates/{candidateId:guid}/images", Upload)
            .RequireAuthorization(Policies.Candidate)
            .DisableAntiforgery() // bearer-token API: no cookies, so no cross-site form posts to defend against
            .WithSummary("Uploads one image (multipart: materialType, file).");
        group.MapDelete("/candidates/{candidateId:guid}/images/{imageId:guid}", Delete).RequireAuthorization(Policies.Candidate);
        group.MapGet("/candidates/{candidateId:guid}/images/{imageId:guid}/content", GetContent);
        group.MapPost("/candidates/{candidateId:guid}/submit", Submit).RequireAuthorization(Policies.Candidate)
            .WithSummary("提交审核: locks every image of the application.");

        var internalGroup = app.MapGroup(Prefix + "/internal").WithTags("Internal").RequireAuthorization(Policies.Service);
        internalGroup.MapGet("/images/{imageId:guid}/original", GetOriginal);
    }

    private static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> GetApplication(
        Guid candidateId, ClaimsPrincipal user, MaterialStorageDbContext db, CancellationToken ct)
    {
        var application = await db.Applications.AsNoTracking().Include(a => a.Images).SingleOrDefaultAsync(a => a.CandidateId == candidateId, ct);
        if (Refuse(user, candidateId, application) is { } refusal)
        {
            return refusal;
        }
        return TypedResults.Ok(ToView(application!));
    }

    private static async Task<Results<Created<ImageView>, ProblemHttpResult>> Upload(
        Guid candidateId,
        [FromForm] string? materialType,
        IFormFile? file,
        ClaimsPrincipal user,
        MaterialStorageDbContext db,
        IObjectStore store,
        OutboxSignal signal,
        TimeProvider clock,
        CancellationToken ct)
    {
        if (user.CandidateId() != candidateId)
        {
            return Problems.Forbidden("not_your_application", "Candidates can only upload to their own application.");
        }
        var errors = new RequestErrors()
            .Require(!string.IsNullOrWhiteSpace(materialType), "materialType", "is required")
            .Require(file is not null, "file", "is required (multipart field 'file')");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var application = await db.Applications.Include(a => a.Images).SingleOrDefaultAsync(a => a.CandidateId == candidateId, ct);
        if (application is null)
        {
            return Problems.NotFound("application_not_found", $"Candidate {candidateId} has no material application (is the registration complete?).");
        }
        if (application.IsLocked)
        {
            return Problems.Conflict("application_locked", "The application is locked for review; no upload is accepted.");
        }
        var type = DefaultMaterialCatalog.Find(materialType);
        if (type is null)
        {
            return Problems.Unprocessable("unknown_material_type", $"Material type '{materialType}' is not in this area's catalog.");
        }
        var uploaded = application.Images.Count(i => i.MaterialType == type.Code);
        if (uploaded >= type.MaxCount)
        {
            return Problems.Conflict("material_count_full", $"{type.Name} already has {uploaded} of {type.MaxCount} images; delete one to upload another.");
        }
        if (file!.Length == 0)
        {
            return Problems.Unprocessable("file_empty", "The uploaded file is empty.");
        }
        if (file.Length > DefaultMaterialCatalog.DefaultMaxImageBytes)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "file_too_large", "Content too large",
                $"The file is {file.Length} bytes; each image may be at most {DefaultMaterialCatalog.DefaultMaxImageBytes} bytes (200 KB).");
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, ct);
        }
        var contentType = ImageFormats.ContentTypeOf(content);
        if (contentType is null)
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_format", "Unsupported media type",
                "Only JPEG and PNG images are accepted; the file's bytes are neither.");
        }

        var image = new MaterialImage
        {
            Id = Guid.CreateVersion7(),
            ApplicationId = application.Id,
            MaterialType = type.Code,
            ObjectKey = "",
            ContentType = contentType,
            Sha256 = "",
            FileName = Path.GetFileName(file.FileName),
            UploadedAt = clock.GetUtcNow(),
        };
        image.ObjectKey = $"originals/{application.Id:N}/{image.Id:N}";

        // The object goes in first; if the row cannot commit, the object is removed again.
        var stored = await store.PutAsync(image.ObjectKey, content, contentType, ct);
        image.Length = stored.Length;
        image.Sha256 = stored.Sha256;
        db.Images.Add(image);
        application.Touch();
        db.Publish(new MaterialUploaded(image.Id, application.Id, candidateId, application.RegistrationNumber, image.MaterialType, contentType, image.Length, image.Sha256));
        try
        {
            await db.CommitAsync(signal, ct);
        }
        catch (Exception)
        {
            await store.DeleteAsync(image.ObjectKey, CancellationToken.None);
            throw;
        }
        return TypedResults.Created($"{Prefix}/candidates/{candidateId}/images/{image.Id}", ToView(image));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid candidateId, Guid imageId, ClaimsPrincipal user, MaterialStorageDbContext db, IObjectStore store, OutboxSignal signal, CancellationToken ct)
    {
        if (user.CandidateId() != candidateId)
        {
            return Problems.Forbidden("not_your_application", "Candidates can only delete their own images.");
        }
        var application = await db.Applications.Include(a => a.Images).SingleOrDefaultAsync(a => a.CandidateId == candidateId, ct);
        var image = application?.Images.SingleOrDefault(i => i.Id == imageId);
        if (application is null || image is null)
        {
            return Problems.NotFound("image_not_found", $"Image {imageId} does not exist in this application.");
        }
        if (application.IsLocked || image.IsLocked)
        {
            return Problems.Conflict(image.Review == ImageReviewState.Approved ? "image_approved" : "image_locked",
                "This image is locked by review and cannot be deleted or replaced.");
        }
        application.Images.Remove(image);
        db.Images.Remove(image);
        application.Touch();
        db.Publish(new MaterialDeleted(image.Id, application.Id, candidateId));
        await db.CommitAsync(signal, ct);
        // The row is gone for good; the bytes follow (a failure here leaves an unreferenced object, never a dangling row).
        await store.DeleteAsync(image.ObjectKey, CancellationToken.None);
        return TypedResults.NoContent();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetContent(
        Guid candidateId, Guid imageId, ClaimsPrincipal user, MaterialStorageDbContext db, IObjectStore store, CancellationToken ct)
    {
        var application = await db.Applications.AsNoTracking().Include(a => a.Images).SingleOrDefaultAsync(a => a.CandidateId == candidateId, ct);
        if (Refuse(user, candidateId, application) is { } refusal)
        {
            return refusal;
        }
        var image = application!.Images.SingleOrDefault(i => i.Id == imageId);
        if (image is null)
        {
            return Problems.NotFound("image_not_found", $"Image {imageId} does not exist in this application.");
        }
        // Staff only ever see the watermarked copy; the candidate sees their own upload.
        var key = user.IsInRole(Roles.Candidate) ? image.ObjectKey : WatermarkedKey(image);
        var content = await store.GetAsync(key, ct);
        if (content is null)
        {
            return Problems.Conflict("copy_not_ready", "The watermarked copy of this image is not ready yet; try again shortly.");
        }
        return TypedResults.File(content.Content, content.ContentType);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetOriginal(Guid imageId, MaterialStorageDbContext db, IObjectStore store, CancellationToken ct)
    {
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == imageId, ct);
        var content = image is null ? null : await store.GetAsync(image.ObjectKey, ct);
        return content is null
            ? Problems.NotFound("image_not_found", $"Image {imageId} does not exist.")
            : TypedResults.File(content.Content, content.ContentType);
    }

    private static async Task<Results<Ok<SubmitResponse>, ProblemHttpResult>> Submit(
        Guid candidateId, ClaimsPrincipal user, MaterialStorageDbContext db, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (user.CandidateId() != candidateId)
        {
            return Problems.Forbidden("not_your_application", "Candidates can only submit their own application.");
        }
        var application = await db.Applications.Include(a => a.Images).SingleOrDefaultAsync(a => a.CandidateId == candidateId, ct);
        if (application is null)
        {
            return Problems.NotFound("application_not_found", $"Candidate {candidateId} has no material application.");
        }
        if (application.IsLocked)
        {
            return Problems.Conflict("application_locked", "The application is already submitted and locked.");
        }
        var missing = Checklist(application).Where(c => c.Missing > 0).ToList();
        if (missing.Count > 0)
        {
            return Problems.Unprocessable("materials_missing",
                "Required materials are missing: " + string.Join("; ", missing.Select(m => $"{m.Name} ({m.Missing} more)")),
                new Dictionary<string, object?> { ["missing"] = missing });
        }
        var failed = application.Images.Where(i => i.Validation == ValidationState.Failed).Select(i => i.Id).ToList();
        if (failed.Count > 0)
        {
            return Problems.Unprocessable("images_failed_validation", "Some images failed the checks; replace them before submitting.",
                new Dictionary<string, object?> { ["imageIds"] = failed });
        }

        var now = clock.GetUtcNow();
        application.State = ApplicationState.Submitted;
        application.SubmissionNumber++;
        application.SubmittedAt = now;
        application.Touch();
        var imageIds = application.Images.Select(i => i.Id).ToList();
        db.Publish(new ApplicationSubmitted(application.Id, candidateId, application.RegistrationNumber, application.AreaCode, application.SiteCode,
            application.SubmissionNumber, imageIds, now));
        db.Publish(new MaterialsLocked(application.Id, candidateId, imageIds));
        await db.CommitAsync(signal, ct);
        return TypedResults.Ok(new SubmitResponse(SubmittedMessage, application.SubmissionNumber, now));
    }

    internal static string WatermarkedKey(MaterialImage image) => $"watermarked/{image.ApplicationId:N}/{image.Id:N}";

    private static ProblemHttpResult? Refuse(ClaimsPrincipal user, Guid candidateId, MaterialApplication? application)
    {
        if (user.IsInRole(Roles.Candidate) && user.CandidateId() != candidateId)
        {
            return Problems.Forbidden("not_your_application", "Candidates can only see their own application.");
        }
        if (application is null)
        {
            return Problems.NotFound("application_not_found", $"Candidate {candidateId} has no material application.");
        }
        return user.CanActFor(candidateId, application.SiteCode, application.AreaCode)
            ? null
            : Problems.Forbidden("out_of_scope", "This application is outside your scope.");
    }

    private static List<ChecklistItem> Checklist(MaterialApplication application) =>
        DefaultMaterialCatalog.Types
            .Select(t =>
            {
                var uploaded = application.Images.Count(i => i.MaterialType == t.Code);
                return new ChecklistItem(t.Code, t.Name, t.MinCount, t.MaxCount, uploaded, Math.Max(0, t.MinCount - uploaded));
            })
            .ToList();

    private static ApplicationView ToView(MaterialApplication a) => new(
        a.Id, a.CandidateId, a.RegistrationNumber, a.AreaCode, a.SiteCode, a.State.ToString(), a.IsLocked, a.SubmissionNumber, a.Feedback, a.SubmittedAt,
        Checklist(a), a.Images.OrderBy(i => i.UploadedAt).Select(ToView).ToList());

    private static ImageView ToView(MaterialImage i) => new(
        i.Id, i.MaterialType, i.ContentType, i.Length, i.Sha256, i.FileName, i.Validation.ToString(),
        i.FindingsJson is null ? [] : JsonSerializer.Deserialize<List<ValidationFinding>>(i.FindingsJson, FindingJson) ?? [],
        i.Review.ToString(), i.IsLocked, i.UploadedAt);
}
