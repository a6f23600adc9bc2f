using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Api;

/// <summary>Service-to-service endpoints: ImageValidation hands back the watermarked copy that reviewers see.</summary>
public static class InternalImagesApi
{
    private const int MaxWatermarkedBytes = 4 * 1024 * 1024;

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetOriginal(Guid imageId, MaterialStorageDbContext db, IObjectStore store, CancellationToken ct)
    {
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == imageId, ct);
        var content = image is null ? null : await store.GetAsync(image.ObjectKey, ct);
        return content is null
            ? Problems.NotFound("image_not_found", $"Image {imageId} does not exist.")
            : TypedResults.File(content.Content, content.ContentType);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> PutWatermarked(
        Guid imageId, HttpRequest request, MaterialStorageDbContext db, IObjectStore store, CancellationToken ct)
    {
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == imageId, ct);
        if (image is null)
        {
            return Problems.NotFound("image_not_found", $"Image {imageId} does not exist (deleted since upload?).");
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0 || buffer.Length > MaxWatermarkedBytes)
        {
            return Problems.Invalid("body", $"must be a JPEG of 1 to {MaxWatermarkedBytes} bytes");
        }
        var content = buffer.ToArray();
        if (ImageFormats.ContentTypeOf(content) != "image/jpeg")
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_format", "Unsupported media type", "The watermarked copy must be a JPEG.");
        }
        await store.PutAsync(MaterialsApi.WatermarkedKey(image), content, "image/jpeg", ct);
        return TypedResults.NoContent();
    }
}
