namespace ExamReview.MaterialStorage.Domain;

/// <summary>
/// What an uploaded file must be before it becomes an image of the application: not empty, within the area's
/// size limit, JPEG or PNG by its bytes. A phone photo sent with <c>normalise=true</c> may be far larger: the
/// platform shrinks it first and applies the same checks to the result.
/// </summary>
public static class ImageIntake
{
    /// <summary>Largest phone photo accepted for normalisation.</summary>
    public const long MaxNormaliseInputBytes = 15 * 1024 * 1024;

    public static Refusal? CheckSize(long length, long maxBytes, bool normalise)
    {
        if (length == 0)
        {
            return new Refusal(RefusalKind.Unprocessable, "file_empty", "上传的文件是空的。", "The uploaded file is empty.");
        }
        if (normalise)
        {
            return length > MaxNormaliseInputBytes
                ? new Refusal(RefusalKind.TooLarge, "file_too_large",
                    $"文件大小为 {Kb(length)} KB，需要平台处理的照片不能超过 {Kb(MaxNormaliseInputBytes)} KB。",
                    $"The file is {length} bytes; photos to normalise may be 1 to {MaxNormaliseInputBytes} bytes.",
                    new Dictionary<string, object?> { ["maxBytes"] = MaxNormaliseInputBytes })
                : null;
        }
        // Too large for the area: the candidate is told the platform can shrink the photo for them.
        return length > maxBytes
            ? new Refusal(RefusalKind.TooLarge, "file_too_large",
                $"文件大小为 {Kb(length)} KB，本考区每张图片不能超过 {Kb(maxBytes)} KB。平台可以替您压缩照片：重新上传时选择由平台处理（normalise=true）即可。",
                $"The file is {length} bytes; each image may be at most {maxBytes} bytes ({maxBytes / 1024} KB) in this exam area. " +
                "The platform can shrink the photo for you: upload it again with normalise=true.",
                new Dictionary<string, object?> { ["maxBytes"] = maxBytes, ["normaliseAvailable"] = true, ["normaliseMaxBytes"] = MaxNormaliseInputBytes })
            : null;
    }

    /// <summary>The content type judged by the bytes, or the refusal for anything that is neither JPEG nor PNG.</summary>
    public static (string? ContentType, Refusal? Refusal) CheckFormat(ReadOnlySpan<byte> content) =>
        ImageFormats.ContentTypeOf(content) is { } type
            ? (type, null)
            : (null, new Refusal(RefusalKind.UnsupportedFormat, "unsupported_format", "只接受 JPEG 或 PNG 格式的图片；该文件两者都不是。",
                "Only JPEG and PNG images are accepted; the file's bytes are neither."));

    /// <summary>The normaliser's result must still fit the area's limit.</summary>
    public static Refusal? CheckNormalised(long length, long maxBytes) =>
        length > maxBytes
            ? new Refusal(RefusalKind.Unprocessable, "normalisation_failed",
                $"处理后的图片为 {Kb(length)} KB，仍超过本考区 {Kb(maxBytes)} KB 的限制。",
                $"The normalised image is {length} bytes, over this area's limit of {maxBytes} bytes.")
            : null;

    private static long Kb(long bytes) => (bytes + 1023) / 1024;
}
