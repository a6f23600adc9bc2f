using ExamReview.Registration.Domain.Printing;
using SkiaSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Reads the QR code off a rendered page of the printable documents, as a phone scanner gets there. First ZXing's
/// finder-pattern search over the whole page. That search misses a small share of perfectly valid symbols whose
/// data happens to look like a finder pattern (measured: 2 in 400 random verification codes, whether QRCoder or
/// ZXing's own encoder drew them; 4 in 200 trial forms at 150 dpi), which failed CI once. A scanner simply tries
/// the next frame; here the second try decodes the symbol where the layout printed it (<see
/// cref="PrintableDocuments.QrArea"/>), module by module, so the payload is still read from the printed pixels.
/// </summary>
public static class PrintedQrCodes
{
    private static readonly Dictionary<DecodeHintType, object> Search = new()
    {
        [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.QR_CODE },
        [DecodeHintType.TRY_HARDER] = true,
    };

    private static readonly Dictionary<DecodeHintType, object> Framed = new(Search) { [DecodeHintType.PURE_BARCODE] = true };

    /// <param name="page">The whole page, any colour type.</param>
    /// <param name="pixelsPerPoint">The rendering's scale (150 dpi: 150 / 72).</param>
    public static string Read(SKBitmap page, float pixelsPerPoint)
    {
        using var converted = page.ColorType == SKColorType.Gray8 ? null : page.Copy(SKColorType.Gray8);
        var gray = converted ?? page;
        if (Decode(gray, Search, new MultiFormatReader()) is { } found)
        {
            return found;
        }
        var area = PrintableDocuments.QrArea;
        var crop = SKRectI.Round(new SKRect(area.Left * pixelsPerPoint, area.Top * pixelsPerPoint, area.Right * pixelsPerPoint, area.Bottom * pixelsPerPoint));
        using var subset = new SKBitmap();
        Assert.True(gray.ExtractSubset(subset, crop), "the page is smaller than the layout's QR area");
        using var framed = subset.Copy(); // tightly packed rows, as ZXing's luminance source expects
        var read = Decode(framed, Framed, new QRCodeReader());
        Assert.True(read is not null, "no QR code readable on the page, neither by search nor where the layout prints it");
        return read;
    }

    private static string? Decode(SKBitmap gray, Dictionary<DecodeHintType, object> hints, Reader reader)
    {
        var source = new RGBLuminanceSource(gray.Bytes, gray.Width, gray.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        return reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints)?.Text;
    }
}
