namespace ExamReview.MaterialStorage.Domain;

/// <summary>Recognises accepted document formats by their bytes, never by the file name.</summary>
public static class ImageFormats
{
    public static string? ContentTypeOf(ReadOnlySpan<byte> content)
    {
        if (content.Length >= 3 && content[0] == 0xFF && content[1] == 0xD8 && content[2] == 0xFF)
        {
            return "image/jpeg";
        }
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        return content.StartsWith(png) ? "image/png" : null;
    }
}
