using System.Security.Claims;
using ExamReview.PassMarks;
using ExamReview.Registration.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExamReview.Registration.Api;

public sealed record PhotoAccepted(string Sha256, string KeyId, DateTimeOffset SignedAt, DateTimeOffset AcceptedAt);

/// <summary>
/// The ID photo (报名照片). Like the national system, registration accepts only photos that passed the photo
/// tool: the tool's HMAC pass mark must verify over these exact bytes, so a re-encoded, edited or foreign
/// photo is refused.
/// </summary>
public static class PhotoApi
{
    /// <summary>The rule is &lt; 30 KB; a little slack for the mark segment itself.</summary>
    private const long MaxPhotoBytes = 32 * 1024;

    public static void MapPhotoApi(this RouteGroupBuilder group)
    {
        group.MapPut("/me/photo", Upload).RequireAuthorization(Policies.Candidate).DisableAntiforgery().WithName("uploadMyPhoto").WithSummary("上传经照片工具检测的报名照片")
            .WithDescription("Accepts the ID photo produced by the photo tool (POST /api/v1/validation/photo); refuses any photo without a valid pass mark.")
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "photo_too_large").ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "photo_not_verified").ProducesProblemCodes(StatusCodes.Status409Conflict, "reviewed_as_is");
        group.MapGet("/me/photo", Download).RequireAuthorization(Policies.Candidate).WithName("getMyPhoto").WithSummary("下载本人已通过的报名照片").ProducesProblemCodes(StatusCodes.Status404NotFound, "photo_not_found");
    }

    public static IServiceCollection AddPhotoVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(sp =>
        {
            var options = configuration.GetSection("ImageValidation:PassMark").Get<PassMarkOptions>() ?? new PassMarkOptions();
            return new PassMark(PassMarkKeyRing.FromOptions(options), sp.GetService<TimeProvider>(), options.MaxAge);
        });
        return services;
    }

    /// <summary>What a photo upload needs: the multipart field <c>file</c> and the services it works with.</summary>
    public sealed record PhotoUploadCall(
        [FromForm(Name = "file")] IFormFile? File,
        ClaimsPrincipal User,
        RegistrationDbContext Db,
        PassMark PassMark,
        IObjectStore Store,
        TimeProvider Clock,
        ILogger<PhotoUploadCall> Logger);

    private static async Task<Results<Ok<PhotoAccepted>, ProblemHttpResult>> Upload([AsParameters] PhotoUploadCall call, CancellationToken ct)
    {
        var (file, db, store) = (call.File, call.Db, call.Store);
        if (file is null || file.Length == 0)
        {
            return Problems.Invalid("file", "必填（multipart 字段 file）。", "is required (multipart field 'file')");
        }
        if (file.Length > MaxPhotoBytes)
        {
            return Problems.Localised(StatusCodes.Status413PayloadTooLarge, "photo_too_large",
                $"照片大小为 {file.Length} 字节，报名照片应小于 30 KB：请先用照片检测工具处理。",
                $"The photo is {file.Length} bytes; a registration photo is under 30 KB. Run it through the photo tool.");
        }
        var candidateId = call.User.CandidateId()!.Value;
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        if (registration is null)
        {
            return Problems.NotFound("registration_not_found", "您还没有报名信息。", "You have no registration yet.");
        }
        if (registration.RefuseCandidateChange() is { } reviewed)
        {
            return Problems.Conflict(reviewed.Code, reviewed.DetailZh, reviewed.DetailEn);
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, ct);
        }
        var verification = call.PassMark.Verify(bytes);
        if (!verification.IsValid)
        {
            return Problems.Unprocessable("photo_not_verified",
                "照片没有通过照片检测工具，或检测后被修改过。请用检测工具处理照片，并原样上传它返回的文件。",
                $"The photo did not pass the photo tool or was changed afterwards ({verification.Failure}). Check it with the photo tool and upload the file it returns, unchanged.",
                new Dictionary<string, object?> { ["reason"] = verification.Failure.ToString() });
        }

        var previousKey = registration.PhotoObjectKey;
        var key = $"photos/{candidateId:N}/{Guid.CreateVersion7():N}";
        var stored = await store.PutAsync(key, bytes, "image/jpeg", ct);
        registration.PhotoObjectKey = key;
        registration.PhotoSha256 = stored.Sha256;
        registration.PhotoAcceptedAt = call.Clock.GetUtcNow();
        registration.UpdatedAt = registration.PhotoAcceptedAt.Value;
        registration.Version++;
        try
        {
            await db.CommitAsync(ct);
        }
        catch (Exception)
        {
            await store.DeleteAsync(key, CancellationToken.None);
            throw;
        }
        if (previousKey is not null)
        {
            await store.DeleteLeftoversAsync([previousKey], call.Logger);
        }
        return TypedResults.Ok(new PhotoAccepted(stored.Sha256, verification.KeyId!, verification.SignedAt!.Value, registration.PhotoAcceptedAt.Value));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download(ClaimsPrincipal user, RegistrationDbContext db, IObjectStore store, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var key = await db.Registrations.AsNoTracking().Where(r => r.CandidateId == candidateId).Select(r => r.PhotoObjectKey).SingleOrDefaultAsync(ct);
        var content = key is null ? null : await store.GetAsync(key, ct);
        return content is null
            ? Problems.NotFound("photo_not_found", "还没有通过检测的报名照片。", "No ID photo has been accepted yet.")
            : TypedResults.File(content.Content, "image/jpeg");
    }
}
