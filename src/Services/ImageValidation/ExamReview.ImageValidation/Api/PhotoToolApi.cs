using ExamReview.ImageValidation.Domain;
using ExamReview.ImageValidation.Processing;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ExamReview.ImageValidation.Api;

/// <summary>
/// The photo tool (医考报名照片检测工具) and phone-photo normalisation, synchronous over HTTP. The photo tool is
/// public like the official downloadable tool: no sign-in, rate-limited per client address.
/// </summary>
public static class PhotoToolApi
{
    /// <summary>Phone photos are ~1.5 MB and HEIC can be larger; anything past this is refused unread.</summary>
    private const long MaxUploadBytes = 15 * 1024 * 1024;

    /// <summary>Room for the multipart boundaries and headers around the file.</summary>
    private const long FormFraming = 64 * 1024;

    public static void MapPhotoToolApi(this IEndpointRouteBuilder app)
    {
        // The body is refused past the file's limit and a little form framing before anything is buffered: the
        // photo tool is public, and Kestrel's default (30 MB) would let anyone make it hold twice what it reads.
        var group = app.MapGroup(ValidationApi.Prefix).WithTags("Photo tool").DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes + FormFraming));
        group.MapPost("/photo", Photo)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.PublicPerAddress)
            .WithName("checkPhoto").WithSummary("检测并规范报名照片（公开）：合格时返回带通过标记的 JPEG，否则返回检查结果")
            .WithDescription("Checks and normalises an ID photo (报名照片); answers the compliant, marked JPEG or the findings.")
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "file_too_large", "payload_too_large").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "photo_rejected");
        group.MapPost("/normalise", Normalise)
            .RequireAuthorization(Policies.CandidateOrService)
            .RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithName("normaliseImage").WithSummary("把手机照片（JPEG、PNG、HEIC、WebP）规范化为不超过 200 KB 的端正 JPEG")
            .WithDescription("Turns a phone photo (JPEG, PNG, HEIC, WebP) into an upright JPEG of at most 200 KB, or says why it cannot.")
            .ProducesProblemCodes(StatusCodes.Status413PayloadTooLarge, "file_too_large", "payload_too_large").ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "normalisation_failed");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Photo(IFormFile? file, PhotoTool tool, DecodeGate gate, CancellationToken ct)
    {
        if (await ReadAsync(file, ct) is not { } bytes)
        {
            return MissingFile();
        }
        var result = await gate.RunAsync(() => tool.Process(bytes), ct); // waits for a decode slot without holding a thread
        return result.Passed
            ? TypedResults.File(result.Jpeg!, "image/jpeg", "photo.jpg")
            : FindingsProblem("photo_rejected", "照片不符合报名照片要求。", "The photo does not meet the registration photo rules.", result.Findings);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Normalise(IFormFile? file, Normaliser normaliser, DecodeGate gate, CancellationToken ct)
    {
        if (await ReadAsync(file, ct) is not { } bytes)
        {
            return MissingFile();
        }
        var result = await gate.RunAsync(() => normaliser.Normalise(bytes), ct);
        return result.Succeeded
            ? TypedResults.File(result.Jpeg!, "image/jpeg", "document.jpg")
            : FindingsProblem("normalisation_failed", "无法把这张图片处理成符合要求的材料图片。",
                "The image cannot be turned into a compliant document image.", result.Findings);
    }

    private static async Task<byte[]?> ReadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return null;
        }
        if (file.Length > MaxUploadBytes)
        {
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "file_too_large",
                $"文件大小为 {file.Length} 字节，最多只能读取 {MaxUploadBytes} 字节。", $"The file is {file.Length} bytes; at most {MaxUploadBytes} bytes are read.",
                new Dictionary<string, object?> { ["maxBytes"] = MaxUploadBytes });
        }
        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, ct);
        return bytes;
    }

    private static ProblemHttpResult MissingFile() => Problems.Invalid("file", "必填（multipart 字段 file，不能为空）。", "is required (multipart field 'file', non-empty)");

    private static ProblemHttpResult FindingsProblem(string code, string detailZh, string detailEn, IReadOnlyList<Finding> findings) =>
        Problems.Unprocessable(code, detailZh + string.Concat(findings.Select(f => f.MessageZh)), detailEn + " " + string.Join(" ", findings.Select(f => f.MessageEn)),
            new Dictionary<string, object?> { ["findings"] = findings.Select(f => f.ToContract()).ToList() });
}
