using System.Globalization;
using ExamReview.Contracts;
using ExamReview.Drawing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace ExamReview.Registration.Domain.Printing;

/// <summary>Everything a printed document shows about the candidate, read from the registration.</summary>
public sealed record PrintData(
    int ExamYear,
    string FullName,
    string IdNumber,
    string RegistrationNumber,
    string ExamCategory,
    string AreaName,
    string SiteName,
    DateTimeOffset RegisteredAt,
    byte[] Photo,
    string VerificationCode,
    int TrialInstitutionCount);

/// <summary>
/// The documents candidates download from the registration system and print (seeds/004: 网上报名成功通知单 and
/// the 试用期考核合格证明 form, "在国家医学考试网（报名系统内）下载打印"): A4 pages drawn with SkiaSharp, in the CJK
/// font, each with the accepted ID photo and a QR code carrying the verification code (<see cref="NoticeSeal"/>).
/// Layout is in PDF points; <see cref="DrawNotice"/> and <see cref="DrawTrialForm"/> draw on any canvas, so the
/// same pages can be rasterised (tests read the QR code back).
/// </summary>
public static class PrintableDocuments
{
    public const string RegistrationNotice = "registration-notice";
    public const string TrialPeriodCertificate = "trial-period-certificate";
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { RegistrationNotice, TrialPeriodCertificate };

    public const float PageWidth = 595; // A4 in points
    public const float PageHeight = 842;

    /// <summary>Where both documents print their QR code, quiet zone included (points, bottom right above the footer).</summary>
    public static readonly SKRect QrArea = SKRect.Create(Page.Right - 108, PageHeight - 196, 108, 108);

    public static byte[] Pdf(string kind, PrintData data) => Pdf(kind, data, NullLogger.Instance);

    /// <summary>
    /// The document as a PDF. Its fonts are cut down to the characters it draws (<see cref="DocumentFonts"/>): this
    /// SkiaSharp embeds fonts whole, which made every notice ~2.4 MB (a rare-character name, with a fallback font,
    /// ~15 MB). If subsetting fails the document still prints, with whole fonts, and the reason is logged.
    /// </summary>
    public static byte[] Pdf(string kind, PrintData data, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(logger);
        var pages = kind == RegistrationNotice ? 1 : Math.Max(1, data.TrialInstitutionCount);
        using var fonts = DocumentFonts.Subset(canvas =>
        {
            for (var page = 1; page <= pages; page++)
            {
                DrawPage(canvas, kind, data, page, pages);
            }
        }, SKRect.Create(PageWidth, PageHeight));
        foreach (var failure in fonts.Failures)
        {
            logger.LogWarning("Printing {Document} with a whole font embedded (larger PDF): subsetting failed: {Failure}", kind, failure);
        }
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = Title(kind, data),
            Author = "医师资格考试报名系统",
            Creator = "ExamReview Registration",
            Creation = data.RegisteredAt.UtcDateTime,
            RasterDpi = 300,
        }))
        {
            for (var page = 1; page <= pages; page++)
            {
                DrawPage(document.BeginPage(PageWidth, PageHeight), kind, data, page, pages);
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }

    private static void DrawPage(SKCanvas canvas, string kind, PrintData data, int page, int pages)
    {
        if (kind == RegistrationNotice)
        {
            DrawNotice(canvas, data);
        }
        else
        {
            DrawTrialForm(canvas, data, page, pages);
        }
    }

    /// <summary>
    /// The characters of what the candidate and the province typed that no font on this machine has (rare CJK of
    /// Extension B and beyond, with only WenQuanYi installed): printed as boxes holding their code points, with a note
    /// on the page saying so, and named here for the caller to log and answer.
    /// </summary>
    public static IReadOnlyList<int> Unprintable(PrintData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return [.. new[] { data.FullName, data.IdNumber, data.RegistrationNumber, data.ExamCategory, data.AreaName, data.SiteName }
            .SelectMany(PrintableText.Unprintable).Distinct()];
    }

    public static string Title(string kind, PrintData data) =>
        kind == RegistrationNotice ? $"{data.ExamYear}年医师资格考试网上报名成功通知单" : $"{data.ExamYear}年医师资格考试试用期考核合格证明";

    public static void DrawNotice(SKCanvas canvas, PrintData data)
    {
        canvas.Clear(SKColors.White);
        var y = Heading(canvas, data.ExamYear, "网上报名成功通知单", null);
        y = CandidateTable(canvas, data, y,
        [
            ("姓名", data.FullName), ("证件号码", data.IdNumber), ("报名号", data.RegistrationNumber), ("考试类别", data.ExamCategory),
            ("考区", data.AreaName), ("考点", data.SiteName), ("报名时间", ChinaTime.Of(data.RegisteredAt).ToString("yyyy年MM月dd日 HH:mm", CultureInfo.InvariantCulture)),
        ]);
        using var body = CjkFont.Font(11);
        using var ink = Sketch.Fill(SKColors.Black);
        y += 28;
        Sketch.Text(canvas, "注意事项：", Page.Left, y, SKTextAlign.Left, body, ink);
        string[] notes =
        [
            "1. 本通知单证明考生已完成医师资格考试网上报名，请核对以上信息；信息有误的，请及时联系考点考务工作人员修改。",
            "2. 请按考区通知要求，将本通知单的照片或扫描件上传至报名材料上传页面（医师资格考试网上报名成功通知单）。",
            "3. 右下角二维码用于核验本通知单的真实性；涂改或报名信息修改后，请重新下载打印。",
        ];
        y += 20;
        foreach (var note in notes)
        {
            y = Sketch.Wrapped(canvas, note, Page.Left + 12, y, Page.Width - 24, body, ink, 18) + 4;
        }
        Signature(canvas, Page.Left, PageHeight - 130, "考生签字：");
        Qr(canvas, data.VerificationCode, "扫码核验本通知单");
        Footer(canvas);
    }

    public static void DrawTrialForm(SKCanvas canvas, PrintData data, int copy, int copies)
    {
        canvas.Clear(SKColors.White);
        var subtitle = copies > 1 ? $"（第 {copy} 份，共 {copies} 份：试用期涉及多个单位的，每个单位一份）" : "（试用期涉及多个单位的，每个单位一份）";
        var y = Heading(canvas, data.ExamYear, "试用期考核合格证明", subtitle);
        y = CandidateTable(canvas, data, y,
        [
            ("姓名", data.FullName), ("证件号码", data.IdNumber), ("报名号", data.RegistrationNumber), ("报考类别", data.ExamCategory),
            ("考区 / 考点", $"{data.AreaName} / {data.SiteName}"),
        ]);
        y += 18;
        using var label = CjkFont.Font(11.5f);
        using var ink = Sketch.Fill(SKColors.Black);
        using var line = Sketch.Stroke(SKColors.Black, 0.8f);
        string[] fields = ["试用机构名称", "试用岗位（类别）", "试用起止时间", "考核结果"];
        const float row = 30;
        foreach (var name in fields)
        {
            canvas.DrawRect(new SKRect(Page.Left, y, Page.Right, y + row), line);
            canvas.DrawLine(Page.Left + 120, y, Page.Left + 120, y + row, line);
            Sketch.Text(canvas, name, Page.Left + 8, y + 20, SKTextAlign.Left, label, ink);
            if (name == "试用起止时间")
            {
                Sketch.Text(canvas, "        年     月     日  至        年     月     日", Page.Left + 130, y + 20, SKTextAlign.Left, label, ink);
            }
            else if (name == "考核结果")
            {
                // Drawn boxes: the font's □ is too small to tick.
                var x = Page.Left + 134;
                foreach (var choice in new[] { "合格", "不合格" })
                {
                    canvas.DrawRect(SKRect.Create(x, y + 9, 11, 11), line);
                    Sketch.Text(canvas, choice, x + 17, y + 20, SKTextAlign.Left, label, ink);
                    x += 100;
                }
            }
            y += row;
        }
        const float opinion = 100;
        canvas.DrawRect(new SKRect(Page.Left, y, Page.Right, y + opinion), line);
        canvas.DrawLine(Page.Left + 120, y, Page.Left + 120, y + opinion, line);
        Sketch.Text(canvas, "试用机构考核意见", Page.Left + 8, y + 20, SKTextAlign.Left, label, ink);
        y += opinion + 30;
        Sketch.Text(canvas, "法定代表人（签字）：", Page.Left + 8, y, SKTextAlign.Left, label, ink);
        Sketch.Text(canvas, "试用机构（公章）", Page.Right - 150, y, SKTextAlign.Left, label, ink);
        Sketch.Text(canvas, "年      月      日", Page.Right - 150, y + 28, SKTextAlign.Left, label, ink);
        using var small = CjkFont.Font(9.5f);
        Sketch.Wrapped(canvas,
            "说明：请上传与报名类别相同试用岗位的试用期考核合格证明；须加盖单位公章并法人签字或盖公章，缺一不可；本证明仅当年有效。",
            Page.Left, PageHeight - 186, Page.Width - 140, small, ink, 15);
        Qr(canvas, data.VerificationCode, "扫码核验考生信息");
        Footer(canvas);
    }

    private static class Page
    {
        public const float Left = 60;
        public const float Right = PageWidth - 60;
        public const float Width = Right - Left;
    }

    private static float Heading(SKCanvas canvas, int year, string title, string? subtitle)
    {
        using var small = CjkFont.Font(14);
        using var big = CjkFont.Font(22);
        big.Embolden = true;
        using var ink = Sketch.Fill(SKColors.Black);
        Sketch.Centred(canvas, $"{year}年医师资格考试", PageWidth / 2, 72, small, ink);
        Sketch.Centred(canvas, title, PageWidth / 2, 104, big, ink);
        if (subtitle is null)
        {
            return 128;
        }
        using var note = CjkFont.Font(10);
        Sketch.Centred(canvas, subtitle, PageWidth / 2, 126, note, ink);
        return 142;
    }

    /// <summary>Label/value rows on the left, the ID photo (小2寸 proportions) in a cell on the right; returns the bottom.</summary>
    private static float CandidateTable(SKCanvas canvas, PrintData data, float top, (string Label, string Value)[] rows)
    {
        const float row = 32;
        const float labelWidth = 84;
        const float photoCell = 118;
        using var line = Sketch.Stroke(SKColors.Black, 0.8f);
        using var labelFont = CjkFont.Font(11.5f);
        using var valueFont = CjkFont.Font(13);
        using var ink = Sketch.Fill(SKColors.Black);
        using var shade = Sketch.Fill(new SKColor(0xF2, 0xF2, 0xF2));
        var bottom = top + row * rows.Length;
        var photoLeft = Page.Right - photoCell;
        for (var i = 0; i < rows.Length; i++)
        {
            var y = top + i * row;
            var right = i < 5 ? photoLeft : Page.Right; // the photo cell spans the first five rows
            canvas.DrawRect(new SKRect(Page.Left, y, Page.Left + labelWidth, y + row), shade);
            canvas.DrawRect(new SKRect(Page.Left, y, right, y + row), line);
            canvas.DrawLine(Page.Left + labelWidth, y, Page.Left + labelWidth, y + row, line);
            Sketch.Centred(canvas, rows[i].Label, Page.Left + labelWidth / 2, y + 21, labelFont, ink);
            PrintableText.Draw(canvas, rows[i].Value, Page.Left + labelWidth + 10, y + 21.5f, valueFont, ink);
        }
        if (Unprintable(data) is { Count: > 0 } missing)
        {
            // Said on the paper too: whoever checks the printout against the ID card knows why a box is there.
            using var note = CjkFont.Font(8.5f);
            Sketch.Text(canvas, $"注：本系统字库无法显示的字符以方框内的 Unicode 编码表示（{PrintableText.Describe(missing)}），请以身份证件为准。",
                Page.Left, bottom + 12, SKTextAlign.Left, note, ink);
        }
        var cell = new SKRect(photoLeft, top, Page.Right, top + row * Math.Min(5, rows.Length));
        canvas.DrawRect(cell, line);
        Photo(canvas, data.Photo, cell);
        return bottom;
    }

    private static void Photo(SKCanvas canvas, byte[] jpeg, SKRect cell)
    {
        // 小2寸 is 35 × 49 mm (5:7); fit that box in the cell, then the photo into the box keeping its own proportions.
        var height = cell.Height - 16;
        var width = height * 5 / 7;
        var box = SKRect.Create(cell.MidX - width / 2, cell.MidY - height / 2, width, height);
        using var image = SKImage.FromEncodedData(jpeg);
        if (image is null)
        {
            return;
        }
        var scale = Math.Min(box.Width / image.Width, box.Height / image.Height);
        var drawn = SKRect.Create(box.MidX - image.Width * scale / 2, box.MidY - image.Height * scale / 2, image.Width * scale, image.Height * scale);
        canvas.DrawImage(image, drawn, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    private static void Qr(SKCanvas canvas, string code, string caption)
    {
        QrCodes.Draw(canvas, code, QrArea);
        using var font = CjkFont.Font(9.5f);
        using var ink = Sketch.Fill(SKColors.Black);
        Sketch.Centred(canvas, caption, QrArea.MidX, QrArea.Bottom + 14, font, ink);
    }

    private static void Signature(SKCanvas canvas, float left, float baseline, string label)
    {
        using var font = CjkFont.Font(12);
        using var ink = Sketch.Fill(SKColors.Black);
        using var line = Sketch.Stroke(SKColors.Black, 0.8f);
        Sketch.Text(canvas, label, left, baseline, SKTextAlign.Left, font, ink);
        var start = left + font.MeasureText(label) + 4;
        canvas.DrawLine(start, baseline + 3, start + 120, baseline + 3, line);
        Sketch.Text(canvas, "日期：", start + 140, baseline, SKTextAlign.Left, font, ink);
        canvas.DrawLine(start + 176, baseline + 3, start + 276, baseline + 3, line);
    }

    private static void Footer(SKCanvas canvas)
    {
        using var font = CjkFont.Font(8.5f);
        using var grey = Sketch.Fill(new SKColor(0x70, 0x70, 0x70));
        using var line = Sketch.Stroke(new SKColor(0xA0, 0xA0, 0xA0), 0.5f);
        canvas.DrawLine(Page.Left, PageHeight - 52, Page.Right, PageHeight - 52, line);
        Sketch.Centred(canvas, "医师资格考试报名系统下载打印 · 二维码核验：/api/v1/registrations/notices/verify", PageWidth / 2, PageHeight - 38, font, grey);
    }
}
