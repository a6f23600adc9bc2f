using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Privacy;
using ExamReview.ServiceDefaults.Storage;

namespace ExamReview.MaterialStorage.Api;

/// <summary>An uploaded file read into checked bytes (and the area's size limit it was checked against), or the refusal that applies to it.</summary>
public sealed record CheckedFile(byte[]? Content, string? ContentType, Refusal? Refusal, long? CheckedAgainstBytes = null);

/// <summary>
/// Reads a multipart file once (a write repeated after a lost race reuses it), lets <see cref="ImageIntake"/>
/// judge it (normalising a phone photo first when asked), takes location metadata out (<see cref="LocationMetadata"/>) and stores accepted bytes as a new image object.
/// </summary>
public static class UploadedFiles
{
    public static async Task<CheckedFile> ReadAsync(IFormFile file, bool normalise, AreaSettings settings, ImageNormalisationClient normaliser, CancellationToken ct)
    {
        if (ImageIntake.CheckSize(file.Length, settings.MaxImageBytes, normalise) is { } tooLarge)
        {
            return new CheckedFile(null, null, tooLarge);
        }
        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, ct);
        }
        if (normalise)
        {
            var (jpeg, refusal) = await normaliser.NormaliseAsync(content, file.FileName, ct);
            if (refusal is not null)
            {
                return new CheckedFile(null, null, refusal);
            }
            if (ImageIntake.CheckNormalised(jpeg!.Length, settings.MaxImageBytes) is { } stillTooLarge)
            {
                return new CheckedFile(null, null, stillTooLarge);
            }
            content = jpeg;
        }
        var (contentType, unsupported) = ImageIntake.CheckFormat(content);
        if (normalise && contentType != "image/jpeg")
        {
            throw new InvalidOperationException("The normaliser returned something other than a JPEG.");
        }
        // Where the photo was taken never reaches storage, and the hash recorded is the hash of what is stored.
        return contentType is null
            ? new CheckedFile(null, null, unsupported)
            : new CheckedFile(LocationMetadata.Strip(content, contentType), contentType, null, settings.MaxImageBytes);
    }

    /// <summary>Stores the bytes under a new image id; if the row cannot commit, the write removes the object again.</summary>
    public static async Task<MaterialImage> StoreAsync(
        MaterialApplication application, string materialType, string? fileName, CheckedFile file, IObjectStore store, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var key = MaterialObjects.OriginalKey(application.Id, id);
        var stored = await store.PutAsync(key, file.Content!, file.ContentType!, ct);
        return new MaterialImage
        {
            Id = id,
            ApplicationId = application.Id,
            MaterialType = materialType,
            ObjectKey = key,
            ContentType = file.ContentType!,
            Length = stored.Length,
            Sha256 = stored.Sha256,
            FileName = ExamReview.ServiceDefaults.Security.TextHygiene.SanitiseFileName(fileName),
            UploadedAt = now,
            AcceptedUnderBytes = file.CheckedAgainstBytes,
        };
    }

    public static Task RemoveAsync(IObjectStore store, MaterialImage? image) =>
        image is null ? Task.CompletedTask : store.DeleteAsync(image.ObjectKey, CancellationToken.None);

    /// <summary>
    /// After a delete or replacement has committed, the image's bytes follow its row: the original and its reviewer
    /// copy, both the recorded one and the one at the image's place in the layout (a verdict may have recorded it
    /// after this write read the row; one still on its way removes its copy itself, see MaterialValidatedConsumer).
    /// A failure here leaves an unreferenced object (logged with its key), never a dangling row or a failed answer.
    /// </summary>
    public static Task DeleteObjectsAsync(IObjectStore store, MaterialImage image, ILogger logger)
    {
        var copy = MaterialObjects.ReviewerCopyKey(image.ApplicationId, image.Id);
        string[] keys = image.ReviewerCopyKey is { } recorded && recorded != copy ? [image.ObjectKey, copy, recorded] : [image.ObjectKey, copy];
        return store.DeleteLeftoversAsync(keys, logger);
    }
}
