using System.Security.Cryptography;
using System.Text;

namespace ExamReview.Contracts;

/// <summary>
/// The layout of the materials bucket, which MaterialStorage and ImageValidation share (claim check): each
/// service writes under its own prefix and only reads the other's. Messages carry the keys; nothing else
/// crosses between the two services.
/// </summary>
public static class MaterialObjects
{
    /// <summary>Uploaded bytes, exactly as the candidate sent them: MaterialStorage writes and deletes, ImageValidation reads.</summary>
    public const string OriginalsPrefix = "originals/";

    /// <summary>Reviewer copies (upright, metadata stripped, watermarked): ImageValidation writes, MaterialStorage serves and deletes.</summary>
    public const string ReviewerCopiesPrefix = "watermarked/";

    public static string OriginalKey(Guid applicationId, Guid imageId) => $"{OriginalsPrefix}{applicationId:N}/{imageId:N}";

    public static string ReviewerCopyKey(Guid applicationId, Guid imageId) => $"{ReviewerCopiesPrefix}{applicationId:N}/{imageId:N}";

    /// <summary>
    /// The message id of the verdict on <paramref name="imageId"/>: the same every time the image is judged the
    /// same way, so the receiving inbox takes that verdict once. The bytes never change under one id, but the malware
    /// scan that comes first depends on the scanner's signatures, which do: a redelivery judged after an update may
    /// find malware the first judgement missed. An <paramref name="infected"/> verdict therefore has an id of its
    /// own, or the inbox would drop it as a duplicate of the clean one and the image would stay passed.
    /// </summary>
    public static Guid VerdictMessageId(Guid imageId, bool infected = false)
    {
        // The clean verdict's name is the one used before infected verdicts had their own, so ids already sent
        // (and recorded in inboxes) stay the same.
        var name = (infected ? "MaterialValidated.Infected:" : "MaterialValidated:") + imageId.ToString("N");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(name), hash);
        // RFC 9562 version 8 (custom) with the RFC variant bits, so it is a well-formed UUID.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
