using ExamReview.Imaging;
using NetVips;
using Native = ExamReview.Imaging.HeifDecoder.Native;

namespace ExamReview.ImageValidation.Tests;

/// <summary>Encodes test inputs as HEIC (HEVC, as phones write them) with the system libheif's x265 encoder.</summary>
internal static unsafe class HeicEncoder
{
    public static byte[] Encode(Image image, int quality)
    {
        using var flat = image.HasAlpha() ? image.Flatten() : image.Copy();
        using var srgb = flat.Colourspace(Enums.Interpretation.Srgb);
        using var rgb = srgb.Cast(Enums.BandFormat.Uchar);
        var pixels = rgb.WriteToMemory<byte>();
        int width = rgb.Width, height = rgb.Height;
        var path = Path.Combine(Path.GetTempPath(), $"heic-{Guid.NewGuid():N}.heic");
        var context = Native.ContextAlloc();
        nint encoder = 0, heif = 0;
        try
        {
            Check(Native.ImageCreate(width, height, 1, 10, out heif)); // RGB, interleaved RGB
            Check(Native.ImageAddPlane(heif, 10, width, height, 8));
            var plane = Native.ImageGetPlane(heif, 10, out var stride);
            for (var y = 0; y < height; y++)
            {
                pixels.AsSpan(y * width * 3, width * 3).CopyTo(new Span<byte>(plane + ((long)y * stride), width * 3));
            }

            Check(Native.GetEncoderForFormat(context, 1, out encoder)); // HEVC
            Check(Native.EncoderSetLossyQuality(encoder, quality));
            Check(Native.EncodeImage(context, heif, encoder, 0, 0));
            Check(Native.WriteToFile(context, path));
            return File.ReadAllBytes(path);
        }
        finally
        {
            if (encoder != 0)
            {
                Native.EncoderRelease(encoder);
            }

            if (heif != 0)
            {
                Native.ImageRelease(heif);
            }

            Native.ContextFree(context);
            File.Delete(path);
        }
    }

    private static void Check(HeifDecoder.HeifError error)
    {
        if (error.Code != 0)
        {
            throw new InvalidOperationException($"libheif: {System.Runtime.InteropServices.Marshal.PtrToStringUTF8(error.Message)} ({error.Code}.{error.Subcode})");
        }
    }
}
