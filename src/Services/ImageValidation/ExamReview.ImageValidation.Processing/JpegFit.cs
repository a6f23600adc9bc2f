using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>Encodes under a byte budget with the highest quality that fits.</summary>
internal static class JpegFit
{
    /// <summary>
    /// Binary search on Q (JPEG size grows monotonically with Q for a given image, up to noise of a few
    /// bytes, which at worst costs one quality step). Returns null if even <paramref name="minQuality"/> is too big.
    /// </summary>
    public static (byte[] Jpeg, int Quality)? Encode(Image image, int maxBytes, int minQuality, int maxQuality)
    {
        var best = Try(image, maxQuality);
        if (best.Length <= maxBytes)
        {
            return (best, maxQuality);
        }

        var low = Try(image, minQuality);
        if (low.Length > maxBytes)
        {
            return null;
        }

        (byte[] Jpeg, int Quality) fit = (low, minQuality);
        int lo = minQuality + 1, hi = maxQuality - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            var bytes = Try(image, mid);
            if (bytes.Length <= maxBytes)
            {
                fit = (bytes, mid);
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return fit;
    }

    /// <summary>Every output drops EXIF (incl. GPS), XMP, IPTC and ICC: nothing of the capture leaks.</summary>
    public static byte[] Save(Image image, int quality, bool optimizeCoding) =>
        image.JpegsaveBuffer(q: Math.Clamp(quality, 1, 100), optimizeCoding: optimizeCoding, keep: Enums.ForeignKeep.None);

    private static byte[] Try(Image image, int quality) => Save(image, quality, optimizeCoding: true);
}
