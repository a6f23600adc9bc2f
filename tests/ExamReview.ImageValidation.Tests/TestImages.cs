using NetVips;

namespace ExamReview.ImageValidation.Tests;

/// <summary>
/// Test images generated with libvips itself (and plain pixel buffers), so every test states exactly what
/// it feeds in. Deterministic: fixed random seeds.
/// </summary>
internal static class TestImages
{
    public static readonly (byte R, byte G, byte B) White = (250, 250, 250);
    public static readonly (byte R, byte G, byte B) Grey = (150, 150, 150);
    public static readonly (byte R, byte G, byte B) IdBlue = (67, 142, 219);

    /// <summary>
    /// A head-and-shoulders "ID photo": background colour, dark clothing, skin-toned face ellipse with hair,
    /// eyes and mouth, plus mild sensor noise so it has real texture (as photos do).
    /// </summary>
    public static byte[] PortraitPixels(int width, int height, (byte R, byte G, byte B) background, int seed = 1, double faceBrightness = 1.0)
    {
        var rnd = new Random(seed);
        var px = new byte[width * height * 3];
        double cx = width * 0.5, faceCy = height * 0.45, faceRx = width * 0.2, faceRy = height * 0.2;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                (double r, double g, double b) c = (background.R, background.G, background.B);
                var noise = 2.0;
                var dx = (x - cx) / faceRx;
                var dy = (y - faceCy) / faceRy;
                var inFace = (dx * dx) + (dy * dy) <= 1;
                var inHair = (dx * dx / 1.15) + ((dy + 0.25) * (dy + 0.25) / 1.0) <= 1 && dy < -0.35;
                var shoulderTop = height * 0.72;
                var inShoulders = y > shoulderTop && Math.Abs(x - cx) < (width * 0.18) + ((y - shoulderTop) * 1.6);
                var inNeck = y > faceCy && y <= shoulderTop + 5 && Math.Abs(x - cx) < width * 0.08;
                if (inShoulders)
                {
                    c = (35, 40, 70);
                    noise = 6;
                }
                else if (inNeck)
                {
                    c = (205, 165, 140);
                    noise = 5;
                }

                if (inFace)
                {
                    c = (228 * faceBrightness, 188 * faceBrightness, 160 * faceBrightness);
                    noise = 6;
                    var ex = Math.Abs(dx) - 0.38;
                    var ey = dy + 0.15;
                    if ((ex * ex / 0.02) + (ey * ey / 0.004) <= 1)
                    {
                        c = (30, 25, 25); // eyes
                    }

                    var my = dy - 0.45;
                    if (Math.Abs(dx) < 0.3 && my * my < 0.002)
                    {
                        c = (160, 60, 60); // mouth
                    }
                }

                if (inHair)
                {
                    c = (30, 25, 22);
                    noise = 8;
                }

                var i = ((y * width) + x) * 3;
                px[i] = Clamp(c.r + (rnd.NextDouble() - 0.5) * 2 * noise);
                px[i + 1] = Clamp(c.g + (rnd.NextDouble() - 0.5) * 2 * noise);
                px[i + 2] = Clamp(c.b + (rnd.NextDouble() - 0.5) * 2 * noise);
            }
        }

        return px;
    }

    /// <summary>The portrait as a JPEG, optionally blurred with a Gaussian of <paramref name="blurSigma"/>.</summary>
    public static byte[] PortraitJpeg(int width, int height, (byte R, byte G, byte B) background, double blurSigma = 0, int quality = 92, double faceBrightness = 1.0)
    {
        using var image = FromPixels(PortraitPixels(width, height, background, faceBrightness: faceBrightness), width, height, 3);
        if (blurSigma <= 0)
        {
            return Jpeg(image, quality);
        }

        using var blurred = image.Gaussblur(blurSigma);
        return Jpeg(blurred, quality);
    }

    /// <summary>
    /// A document page: black CJK + Latin text, rendered with the real font, on off-white paper, with
    /// optional sensor noise (phone photos) and blur.
    /// </summary>
    public static Image DocumentPage(int width, int height, double noise = 0, double blurSigma = 0, int seed = 7)
    {
        const string Paragraph =
            "中华人民共和国医师资格考试 报名材料 毕业证书 学位证书 试用期考核合格证明 医疗机构执业许可证 " +
            "Certificate No. 2024-110105-0042 姓名 张三 性别 男 出生日期 1998年05月12日 专业 临床医学 学制 五年 ";
        var fontPx = Math.Max(10, width / 40);
        using var text = Image.Text(
            string.Concat(Enumerable.Repeat(Paragraph, 40)),
            font: $"WenQuanYi Micro Hei {fontPx}px",
            width: width * 8 / 10);
        var textHeight = Math.Min(text.Height, height * 8 / 10);
        using var clipped = text.ExtractArea(0, 0, text.Width, textHeight);
        // ink = 245 - coverage * 0.9 : coverage 0 → paper, 255 → near-black
        using var inked = clipped.Linear([-0.9], [245.0], uchar: true);
        using var page = inked.Embed(width / 10, height / 10, width, height, extend: Enums.Extend.Background, background: [245]);

        var pixels = page.WriteToMemory<byte>();
        var rgb = new byte[width * height * 3];
        var rnd = new Random(seed);
        for (var i = 0; i < pixels.Length; i++)
        {
            var v = pixels[i];
            for (var b = 0; b < 3; b++)
            {
                rgb[(i * 3) + b] = noise > 0 ? Clamp(v + ((rnd.NextDouble() - 0.5) * 2 * noise)) : v;
            }
        }

        var image = FromPixels(rgb, width, height, 3);
        if (blurSigma <= 0)
        {
            return image;
        }

        using (image)
        {
            return image.Gaussblur(blurSigma);
        }
    }

    public static byte[] DocumentJpeg(int width, int height, double noise = 0, double blurSigma = 0, int quality = 85)
    {
        using var page = DocumentPage(width, height, noise, blurSigma);
        return Jpeg(page, quality);
    }

    /// <summary>Raw 8-bit band-interleaved pixels as an image (1-2 bands grey, 3-4 sRGB), copied.</summary>
    public static Image FromPixels(byte[] pixels, int width, int height, int bands)
    {
        using var raw = Image.NewFromMemoryCopy(pixels, width, height, bands, Enums.BandFormat.Uchar);
        return raw.Copy(interpretation: bands <= 2 ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
    }

    /// <summary>A JPEG of the image with no metadata (optimised Huffman tables, as the tools save).</summary>
    public static byte[] Jpeg(Image image, int quality = 85, bool strip = true) =>
        image.JpegsaveBuffer(q: quality, optimizeCoding: true, keep: strip ? Enums.ForeignKeep.None : Enums.ForeignKeep.All);

    /// <summary>A uniform colour image.</summary>
    public static Image Solid(int width, int height, byte r, byte g, byte b)
    {
        var px = new byte[width * height * 3];
        for (var i = 0; i < px.Length; i += 3)
        {
            px[i] = r;
            px[i + 1] = g;
            px[i + 2] = b;
        }

        return FromPixels(px, width, height, 3);
    }

    /// <summary>Rotates 3-band pixels 90° anticlockwise (exactly, no resampling): the result is height × width.</summary>
    public static byte[] RotateAnticlockwise(byte[] px, int width, int height)
    {
        var result = new byte[px.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // (x, y) moves to (y, width - 1 - x) in a height-wide image
                var source = ((y * width) + x) * 3;
                var target = ((((width - 1 - x) * height) + y) * 3);
                result[target] = px[source];
                result[target + 1] = px[source + 1];
                result[target + 2] = px[source + 2];
            }
        }

        return result;
    }

    private static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}
