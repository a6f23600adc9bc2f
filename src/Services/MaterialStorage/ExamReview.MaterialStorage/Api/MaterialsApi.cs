using System.Security.Claims;
using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// The candidate's upload page. Every write re-reads the application and bumps its optimistic
/// <see cref="MaterialApplication.Version"/> in the transaction that inserts or removes image rows, so two
/// uploads racing for the last slot, or an upload racing 提交审核, cannot both commit. A losing upload,
/// replacement or deletion checks again on the fresh state and commits if it is still allowed (parallel uploads of different
/// files all land), else gets the refusal that now applies (count full, locked) and its object is removed again.
/// </summary>
public static class MaterialsApi
{
    public const string Prefix = "/api/v1/materials";
    public const string SubmittedMessage = "上报完成，内容已锁定";

    /// <summary>
    /// Passes a write gets when other writes to the same application keep committing first. Each lost pass means
    /// another write committed, so a candidate sending all of their 5–10 images at once always gets through.
    /// </summary>
    private const int MaxWriteAttempts = 10;
    private static readonly JsonSerializerOptions FindingJson = new(JsonSerializerDefaults.Web);

    public static void MapMaterialsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Materials");
        group.MapGet("/catalog", GetCatalog).WithSummary("The material types in force for an exam year and area (defaults: the caller's, else the latest national).");
        group.MapGet("/candidates/{candidateId:guid}", GetApplication);
        group.MapPost("/candidates/{candidateId:guid}/images", Upload)
            .RequireAuthorization(Policies.Candidate)
            .DisableAntiforgery() // bearer-token API: no cookies, so no cross-site form posts to defend against
            .WithSummary("Uploads one image (multipart: materialType, file).");
        group.MapPut("/candidates/{candidateId:guid}/images/{imageId:guid}", Replace)
            .RequireAuthorization(Policies.Candidate)
            .DisableAntiforgery()
            .WithSummary("Replaces an unlocked image with a new file (multipart: file); the replacement gets a new image id.");
        group.MapDelete("/candidates/{candidateId:guid}/images/{imageId:guid}", Delete).RequireAuthorization(Policies.Candidate);
        group.MapGet("/candidates/{candidateId:guid}/images/{imageId:guid}/content", GetContent);
        group.MapPost("/candidates/{candidateId:guid}/submit", Submit).RequireAuthorization(Policies.Candidate)
            .WithSummary("提交审核: locks every image of the application (explicit submission mode).");
    }

    private static async Task<Results<Ok<CatalogView>, ProblemHttpResult>> GetCatalog(
        int? examYear, string? areaCode, ClaimsPrincipal user, MaterialStorageDbContext db, CatalogStore catalogs, CancellationToken ct)
    {
        // A candidate without parameters gets the catalog of their own application.
        var own = user.CandidateId() is { } candidateId && examYear is null && areaCode is null
            ? await db.Applications.AsNoTracking().Where(a => a.CandidateId == candidateId).Select(a => new { a.ExamYear, a.AreaCode }).SingleOrDefaultAsync(ct)
            : null;
        var area = areaCode ?? own?.AreaCode ?? user.Area() ?? CatalogVersion.NationalArea;
        var year = examYear ?? own?.ExamYear ?? await db.Catalogs.Where(c => c.AreaCode == area || c.AreaCode == CatalogVersion.NationalArea)
            .OrderByDescending(c => c.ExamYear).Select(c => (int?)c.ExamYear).FirstOrDefaultAsync(ct) ?? 0;
        var found = await catalogs.FindAsync(db, year, area, ct);
        return found is null
            ? Problems.NotFound("catalog_not_configured", $"No material catalog is configured for exam year {year}, area '{area}'.")
            : TypedResults.Ok(CatalogsApi.ToView(found));
    }

    private static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> GetApplication(
        Guid candidateId, ClaimsPrincipal user, MaterialStorageDbContext db, CatalogStore catalogs, CancellationToken ct)
    {
        var context = await ApplicationContext.LoadAsync(db, catalogs, candidateId, tracking: false, ct);
        if (Refuse(user, candidateId, context?.Application) is { } refusal)
        {
            return refusal;
        }
        return TypedResults.Ok(ToView(context!));
    }

    private static async Task<Results<Created<ImageView>, ProblemHttpResult>> Upload(
        Guid candidateId,
        [FromForm] string? materialType,
        [FromForm] bool? normalise,
        IFormFile? file,
        ClaimsPrincipal user,
        MaterialStorageDbContext db,
        CatalogStore catalogs,
        IObjectStore store,
        ImageNormalisationClient normaliser,
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

        // The file is read (and normalised) and its object stored once, on the first pass; a pass repeated after
        // a lost race (see WriteWithRetriesAsync) checks everything again on the fresh application.
        ReadImage? read = null;
        MaterialImage? image = null;
        var refused = await WriteWithRetriesAsync(db, catalogs, candidateId, signal, async context =>
        {
            var (refusal, type) = UploadRefusal(context, candidateId, materialType!);
            if (refusal is not null)
            {
                return refusal;
            }
            var application = context!.Application;
            read ??= normalise == true
                ? await ReadNormalisedAsync(file!, context.Settings, normaliser, ct)
                : await ReadImageAsync(file!, context.Settings, ct);
            if (read.Problem is not null)
            {
                return read.Problem;
            }

            image ??= await StoreImageAsync(application, type!.Code, file!.FileName, read.Content!, read.ContentType!, store, clock, ct);
            AddImage(db, context, image, clock);
            return null;
        }, () => RemoveStoredAsync(store, image), ct);
        if (refused is not null)
        {
            return refused;
        }
        return TypedResults.Created($"{Prefix}/candidates/{candidateId}/images/{image!.Id}", ToView(image));
    }

    private static async Task<Results<Ok<ImageView>, ProblemHttpResult>> Replace(
        Guid candidateId,
        Guid imageId,
        IFormFile? file,
        ClaimsPrincipal user,
        MaterialStorageDbContext db,
        CatalogStore catalogs,
        IObjectStore store,
        OutboxSignal signal,
        TimeProvider clock,
        CancellationToken ct)
    {
        if (user.CandidateId() != candidateId)
        {
            return Problems.Forbidden("not_your_application", "Candidates can only replace their own images.");
        }
        if (file is null)
        {
            return Problems.Invalid("file", "is required (multipart field 'file')");
        }
        ReadImage? read = null;
        MaterialImage? image = null;
        MaterialImage? replaced = null;
        var refused = await WriteWithRetriesAsync(db, catalogs, candidateId, signal, async context =>
        {
            var old = context?.Application.Images.SingleOrDefault(i => i.Id == imageId);
            if (context is null || old is null)
            {
                return Problems.NotFound("image_not_found", $"Image {imageId} does not exist in this application.");
            }
            var application = context.Application;
            if (LockRefusal(application, old) is { } locked)
            {
                return locked;
            }
            read ??= await ReadImageAsync(file, context.Settings, ct);
            if (read.Problem is not null)
            {
                return read.Problem;
            }

            // A new id: the validation verdict and any review of the old bytes must never attach to the new ones.
            image ??= await StoreImageAsync(application, old.MaterialType, file.FileName, read.Content!, read.ContentType!, store, clock, ct);
            replaced = old;
            application.Images.Remove(old);
            db.Images.Remove(old);
            db.Publish(new MaterialDeleted(old.Id, application.Id, candidateId));
            AddImage(db, context, image, clock);
            return null;
        }, () => RemoveStoredAsync(store, image), ct);
        if (refused is not null)
        {
            return refused;
        }
        await DeleteObjectsAsync(store, replaced!);
        return TypedResults.Ok(ToView(image!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        Guid candidateId, Guid imageId, ClaimsPrincipal user, MaterialStorageDbContext db, CatalogStore catalogs, IObjectStore store, OutboxSignal signal, CancellationToken ct)
    {
        if (user.CandidateId() != candidateId)
        {
            return Problems.Forbidden("not_your_application", "Candidates can only delete their own images.");
        }
        MaterialImage? deleted = null;
        var refused = await WriteWithRetriesAsync(db, catalogs, candidateId, signal, context =>
        {
            var image = context?.Application.Images.SingleOrDefault(i => i.Id == imageId);
            if (context is null || image is null)
            {
                return Task.FromResult<ProblemHttpResult?>(Problems.NotFound("image_not_found", $"Image {imageId} does not exist in this application."));
            }
            var application = context.Application;
            if (LockRefusal(application, image) is { } locked)
            {
                return Task.FromResult<ProblemHttpResult?>(locked);
            }
            application.Images.Remove(image);
            db.Images.Remove(image);
            application.Touch();
            db.Publish(new MaterialDeleted(image.Id, application.Id, candidateId));
            deleted = image;
            return Task.FromResult<ProblemHttpResult?>(null);
        }, () => Task.CompletedTask, ct);
        if (refused is not null)
        {
            return refused;
        }
        await DeleteObjectsAsync(store, deleted!);
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
        // Everyone, the candidate included, sees the watermarked copy ("图片中显示水印，表示提交成功"); the original
        // is read only by the services that process it.
        var content = image.ReviewerCopyKey is { } copy ? await store.GetAsync(copy, ct) : null;
        if (content is not null)
        {
            return TypedResults.File(content.Content, content.ContentType);
        }
        return image.Validation == ValidationState.Pending
            ? Problems.Conflict("copy_not_ready", "带水印的图片尚未生成，请稍后再试。The watermarked copy of this image is not ready yet; try again shortly.")
            : Problems.NotFound("copy_unavailable",
                "这张图片无法读取，没有可显示的带水印图片，请删除后重新上传。The image could not be read, so there is no watermarked copy to show; delete it and upload again.");
    }

    private static async Task<Results<Ok<SubmitResponse>, ProblemHttpResult>> Submit(
        Guid candidateId, ClaimsPrincipal user, MaterialStorageDbContext db, CatalogStore catalogs, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (user.CandidateId() != candidateId)
        {
            return Problems.Forbidden("not_your_application", "Candidates can only submit their own application.");
        }
        var context = await ApplicationContext.LoadAsync(db, catalogs, candidateId, tracking: true, ct);
        if (context is null)
        {
            return Problems.NotFound("application_not_found", $"Candidate {candidateId} has no material application.");
        }
        var application = context.Application;
        if (application.IsLocked)
        {
            return Problems.Conflict("application_locked", "The application is already submitted and locked.");
        }
        if (application.SubmissionMode == SubmissionMode.Continuous)
        {
            return Problems.Conflict("submission_is_continuous",
                "This exam area submits each upload at once (continuous mode); there is nothing to submit.");
        }
        if (context.Catalog is null)
        {
            return CatalogMissing(application);
        }
        var checklist = context.Checklist();
        var missing = checklist.Where(c => c.Missing > 0).Select(ToView).ToList();
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
        var awaiting = application.Images.Where(i => i.Review == ImageReviewState.ReplacementRequested).Select(i => i.Id).ToList();
        if (awaiting.Count > 0)
        {
            return Problems.Unprocessable("images_awaiting_replacement", "The reviewer asked to replace some images; replace them before submitting.",
                new Dictionary<string, object?> { ["imageIds"] = awaiting });
        }

        var now = clock.GetUtcNow();
        application.State = ApplicationState.Submitted;
        application.SubmissionNumber++;
        application.SubmittedAt = now;
        application.CatalogId = context.Catalog.Id;
        application.Touch();
        var imageIds = application.Images.Select(i => i.Id).ToList();
        db.Publish(new ApplicationSubmitted(application.Id, candidateId, application.RegistrationNumber, application.AreaCode, application.SiteCode,
            application.SubmissionNumber, imageIds, now));
        db.Publish(new MaterialsLocked(application.Id, candidateId, imageIds));
        await db.CommitAsync(signal, ct);
        return TypedResults.Ok(new SubmitResponse(SubmittedMessage, application.SubmissionNumber, now));
    }

    /// <summary>
    /// Continuous mode: the upload is the submission. The first one of a round (the application is open, or
    /// returned) raises ApplicationSubmitted with the next submission number, which opens or resumes the review
    /// case exactly as 提交审核 does; every upload raises MaterialSubmitted for its image.
    /// </summary>
    private static void SubmitContinuously(MaterialStorageDbContext db, ApplicationContext context, MaterialImage image, DateTimeOffset now)
    {
        var application = context.Application;
        if (application.SubmissionMode != SubmissionMode.Continuous)
        {
            return;
        }

        // Every upload is a submission here: the catalog it was made under is the one an approval keeps.
        application.CatalogId = context.Catalog?.Id;
        if (application.State != ApplicationState.Submitted)
        {
            application.State = ApplicationState.Submitted;
            application.SubmissionNumber++;
            application.SubmittedAt = now;
            db.Publish(new ApplicationSubmitted(application.Id, application.CandidateId, application.RegistrationNumber, application.AreaCode,
                application.SiteCode, application.SubmissionNumber, application.Images.Select(i => i.Id).ToList(), now));
        }
        db.Publish(new MaterialSubmitted(image.Id, application.Id, application.CandidateId, application.AreaCode, application.SiteCode,
            image.MaterialType, application.SubmissionNumber, now));
    }

    private static ProblemHttpResult? LockRefusal(MaterialApplication application, MaterialImage image)
    {
        if (image.Review == ImageReviewState.Approved)
        {
            return Problems.Conflict("image_approved", "This image is approved (✓) and locked for good.");
        }
        if (image.IsLocked)
        {
            return Problems.Conflict("image_locked", "This image has been reviewed and is locked; it cannot be deleted or replaced.");
        }
        return application.IsLocked
            ? Problems.Conflict("application_locked", "The application is locked for review; images cannot be deleted or replaced.")
            : null;
    }

    private sealed record ReadImage(byte[]? Content, string? ContentType, ProblemHttpResult? Problem);

    /// <summary>Refuses empty, oversized (per the area's limit) and non-JPEG/PNG files, judging the format by the bytes.</summary>
    private static async Task<ReadImage> ReadImageAsync(IFormFile file, AreaSettings settings, CancellationToken ct)
    {
        if (file.Length == 0)
        {
            return new ReadImage(null, null, Problems.Unprocessable("file_empty", "The uploaded file is empty."));
        }
        if (file.Length > settings.MaxImageBytes)
        {
            return new ReadImage(null, null, Problems.Create(StatusCodes.Status413PayloadTooLarge, "file_too_large", "Content too large",
                $"The file is {file.Length} bytes; each image may be at most {settings.MaxImageBytes} bytes ({settings.MaxImageBytes / 1024} KB) in this exam area.",
                new Dictionary<string, object?> { ["maxBytes"] = settings.MaxImageBytes }));
        }
        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, ct);
        }
        var contentType = ImageFormats.ContentTypeOf(content);
        return contentType is null
            ? new ReadImage(null, null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_format", "Unsupported media type",
                "Only JPEG and PNG images are accepted; the file's bytes are neither."))
            : new ReadImage(content, contentType, null);
    }

    /// <summary>Normalises a phone photo first, then applies the same checks to the result.</summary>
    private static async Task<ReadImage> ReadNormalisedAsync(IFormFile file, AreaSettings settings, ImageNormalisationClient normaliser, CancellationToken ct)
    {
        if (file.Length == 0 || file.Length > ImageNormalisationClient.MaxInputBytes)
        {
            return new ReadImage(null, null, Problems.Create(StatusCodes.Status413PayloadTooLarge, "file_too_large", "Content too large",
                $"The file is {file.Length} bytes; photos to normalise may be 1 to {ImageNormalisationClient.MaxInputBytes} bytes.",
                new Dictionary<string, object?> { ["maxBytes"] = ImageNormalisationClient.MaxInputBytes }));
        }
        var original = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(original, ct);
        }
        var (jpeg, problem) = await normaliser.NormaliseAsync(original, file.FileName, ct);
        if (problem is not null)
        {
            return new ReadImage(null, null, problem);
        }
        if (jpeg!.Length > settings.MaxImageBytes)
        {
            return new ReadImage(null, null, Problems.Unprocessable("normalisation_failed",
                $"The normalised image is {jpeg.Length} bytes, over this area's limit of {settings.MaxImageBytes} bytes."));
        }
        return ImageFormats.ContentTypeOf(jpeg) == "image/jpeg"
            ? new ReadImage(jpeg, "image/jpeg", null)
            : throw new InvalidOperationException("The normaliser returned something other than a JPEG.");
    }

    private static async Task<MaterialImage> StoreImageAsync(
        MaterialApplication application, string materialType, string? fileName, byte[] content, string contentType, IObjectStore store, TimeProvider clock, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var key = MaterialObjects.OriginalKey(application.Id, id);
        // The object goes in first; if the row cannot commit, WriteWithRetriesAsync removes it again.
        var stored = await store.PutAsync(key, content, contentType, ct);
        return new MaterialImage
        {
            Id = id,
            ApplicationId = application.Id,
            MaterialType = materialType,
            ObjectKey = key,
            ContentType = contentType,
            Length = stored.Length,
            Sha256 = stored.Sha256,
            FileName = Path.GetFileName(fileName),
            UploadedAt = clock.GetUtcNow(),
        };
    }

    /// <summary>Why this upload cannot go into the application as it stands now, or the material type it goes in as.</summary>
    private static (ProblemHttpResult? Refusal, MaterialTypeDefinition? Type) UploadRefusal(ApplicationContext? context, Guid candidateId, string materialType)
    {
        if (context is null)
        {
            return (Problems.NotFound("application_not_found", $"Candidate {candidateId} has no material application (is the registration complete?)."), null);
        }
        var application = context.Application;
        if (application.IsLocked)
        {
            return (Problems.Conflict("application_locked", "The application is locked for review; no upload is accepted."), null);
        }
        if (context.Catalog is null)
        {
            return (CatalogMissing(application), null);
        }
        var type = context.Catalog.Catalog.Find(materialType);
        if (type is null)
        {
            return (Problems.Unprocessable("unknown_material_type", $"Material type '{materialType}' is not in this area's catalog."), null);
        }
        var requirement = context.Catalog.Catalog.Evaluate(type, context.Profile);
        if (!requirement.Applies)
        {
            return (Problems.Unprocessable("material_not_applicable",
                $"{type.Name} ({type.Code}) does not apply to your situation; update your profile in the registration system if it should."), null);
        }
        var uploaded = application.Images.Count(i => i.MaterialType == type.Code);
        return uploaded >= requirement.MaxCount
            ? (Problems.Conflict("material_count_full", $"{type.Name} already has {uploaded} of {requirement.MaxCount} images; delete one to upload another."), null)
            : (null, type);
    }

    /// <summary>
    /// Runs one candidate write on a fresh read of the application and commits it with its outbox rows. Every
    /// write bumps the application's version, so of two writes racing on one application (a browser sending
    /// several files at once, say) one loses; instead of failing a request that may still be valid, the loser
    /// reads the application again and <paramref name="write"/> runs again, all its checks included (the count,
    /// the lock), up to <see cref="MaxWriteAttempts"/> passes. A refusal, or a failure to commit, runs
    /// <paramref name="abandon"/> (remove an object stored for the write) and is returned or rethrown; a race lost
    /// every time surfaces as DbUpdateConcurrencyException, a 409 concurrent_change problem.
    /// </summary>
    private static async Task<ProblemHttpResult?> WriteWithRetriesAsync(
        MaterialStorageDbContext db,
        CatalogStore catalogs,
        Guid candidateId,
        OutboxSignal signal,
        Func<ApplicationContext?, Task<ProblemHttpResult?>> write,
        Func<Task> abandon,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var context = await ApplicationContext.LoadAsync(db, catalogs, candidateId, tracking: true, ct);
            if (await write(context) is { } refusal)
            {
                await abandon();
                return refusal;
            }
            try
            {
                await db.CommitAsync(signal, ct);
                return null;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxWriteAttempts)
            {
                // another write to this application committed first: check again on what it left
            }
            catch (Exception)
            {
                await abandon();
                throw;
            }
        }
    }

    /// <summary>Adds a stored image's row to the application and announces it (and, in continuous mode, submits it).</summary>
    private static void AddImage(MaterialStorageDbContext db, ApplicationContext context, MaterialImage image, TimeProvider clock)
    {
        var application = context.Application;
        db.Images.Add(image);
        application.Touch();
        db.Publish(new MaterialUploaded(image.Id, application.Id, application.CandidateId, application.RegistrationNumber, image.MaterialType,
            image.ContentType, image.Length, image.Sha256, image.ObjectKey));
        SubmitContinuously(db, context, image, clock.GetUtcNow());
    }

    private static Task RemoveStoredAsync(IObjectStore store, MaterialImage? image) =>
        image is null ? Task.CompletedTask : store.DeleteAsync(image.ObjectKey, CancellationToken.None);

    private static ProblemHttpResult CatalogMissing(MaterialApplication application) =>
        Problems.Conflict("catalog_not_configured",
            $"No material catalog is configured for exam year {application.ExamYear}, area '{application.AreaCode}'; the exam area's operator must load one.");

    /// <summary>
    /// After a delete or replacement has committed, the image's bytes follow its row: the original and its reviewer
    /// copy, both the recorded one and the one at the image's place in the layout (a verdict may have recorded it
    /// after this write read the row; one still on its way removes its copy itself, see MaterialValidatedConsumer).
    /// A failure here leaves an unreferenced object, never a dangling row.
    /// </summary>
    private static async Task DeleteObjectsAsync(IObjectStore store, MaterialImage image)
    {
        await store.DeleteAsync(image.ObjectKey, CancellationToken.None);
        var copy = MaterialObjects.ReviewerCopyKey(image.ApplicationId, image.Id);
        await store.DeleteAsync(copy, CancellationToken.None);
        if (image.ReviewerCopyKey is { } recorded && recorded != copy)
        {
            await store.DeleteAsync(recorded, CancellationToken.None);
        }
    }

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

    private static ChecklistItem ToView(ChecklistLine line) => new(
        line.Requirement.Type.Code, line.Requirement.Type.Name, line.Requirement.Type.Description, line.Requirement.Type.ExampleImage,
        line.Requirement.Requirement.Name(), line.Requirement.MinCount, line.Requirement.MaxCount, line.Uploaded, line.Missing,
        line.FailedValidation, line.Approved, line.ReplacementRequested, line.Full);

    private static ApplicationView ToView(ApplicationContext context)
    {
        var a = context.Application;
        var catalog = context.Catalog is { } c ? new CatalogReference(c.ExamYear, c.AreaCode, c.Version) : null;
        return new ApplicationView(
            a.Feedback, a.Id, a.CandidateId, a.RegistrationNumber, a.ExamYear, a.AreaCode, a.SiteCode, a.State.ToString(), a.IsLocked,
            a.SubmissionMode.ToString(), context.Settings.MaxImageBytes, a.SubmissionNumber, a.SubmittedAt, context.ProfileReceived, catalog,
            context.Checklist().Select(ToView).ToList(), a.Images.OrderBy(i => i.UploadedAt).Select(ToView).ToList());
    }

    private static ImageView ToView(MaterialImage i) => new(
        i.Id, i.MaterialType, i.ContentType, i.Length, i.Sha256, i.FileName, i.Validation.ToString(),
        i.FindingsJson is null ? [] : JsonSerializer.Deserialize<List<ValidationFinding>>(i.FindingsJson, FindingJson) ?? [],
        i.Review.ToString(), i.IsLocked, i.Review == ImageReviewState.Approved, i.UploadedAt);
}
