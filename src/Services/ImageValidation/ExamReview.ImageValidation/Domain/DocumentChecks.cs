using ExamReview.Contracts;

namespace ExamReview.ImageValidation.Domain;

/// <summary>Checks on an uploaded document image that need only its bytes.</summary>
public static class DocumentChecks
{
    public const long DefaultMaxBytes = 200 * 1024;

    public static IReadOnlyList<ValidationFinding> Check(ReadOnlySpan<byte> content, long maxBytes = DefaultMaxBytes)
    {
        var findings = new List<ValidationFinding>();
        var isJpeg = content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF;
        var isPng = content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        if (!isJpeg && !isPng)
        {
            findings.Add(new ValidationFinding("doc.format", "图片格式必须为 jpg、jpeg 或 png", "The image must be JPEG or PNG", "jpg|jpeg|png", "unknown"));
        }
        if (content.Length > maxBytes)
        {
            findings.Add(new ValidationFinding("doc.too_large", $"图片大小不得超过 {maxBytes / 1024} KB", $"The image must be at most {maxBytes / 1024} KB",
                maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (isJpeg && !(content.Length >= 2 && content[^2] == 0xFF && content[^1] == 0xD9))
        {
            findings.Add(new ValidationFinding("doc.unreadable", "图片文件不完整，无法读取", "The image file is truncated or corrupt", null, null));
        }
        return findings;
    }
}
