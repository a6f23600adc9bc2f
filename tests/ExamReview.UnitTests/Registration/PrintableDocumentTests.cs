using ExamReview.Drawing;
using ExamReview.Registration.Domain;
using ExamReview.Registration.Domain.Printing;
using ExamReview.ServiceDefaults.Auth;
using SkiaSharp;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// The printable documents: a PDF of the expected pages, and the page as drawn carries a QR code that reads
/// back (ZXing) to a verification code which verifies for this registration and no longer after a change.
/// </summary>
public sealed class PrintableDocumentTests
{
    private static readonly AuthOptions Auth = new() { SigningKeys = [DevTokenIssuer.NewKey()] };

    private static CandidateRegistration Registration() => new()
    {
        Id = Guid.NewGuid(),
        CandidateId = Guid.NewGuid(),
        RegistrationNumber = "2027430012345678",
        ExamYear = 2027,
        AreaCode = "43",
        SiteCode = "4301",
        ExamCategory = "practitioner-clinical",
        FullName = "欧阳明日",
        IdNumber = "43010119900101124X",
        MobileNumber = "13800000000",
        TrialInstitutionCount = 2,
        CreatedAt = new DateTimeOffset(2027, 1, 10, 2, 30, 0, TimeSpan.Zero),
    };

    /// <summary>A stand-in ID photo: a drawn portrait on white, 小2寸 proportions (a JPEG as the photo tool saves).</summary>
    public static byte[] Portrait()
    {
        using var surface = SKSurface.Create(new SKImageInfo(190, 266));
        surface.Canvas.Clear(SKColors.White);
        using var face = Sketch.Fill(new SKColor(0xE0, 0xB8, 0x98));
        using var suit = Sketch.Fill(new SKColor(0x20, 0x30, 0x50));
        surface.Canvas.DrawOval(95, 105, 48, 60, face);
        surface.Canvas.DrawRoundRect(new SKRect(25, 185, 165, 300), 50, 50, suit);
        using var image = surface.Snapshot();
        return image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
    }

    private static PrintData Data(CandidateRegistration r, string document) => new(
        r.ExamYear, r.FullName, r.IdNumber, r.RegistrationNumber, ExamCategories.Label(r.ExamCategory), "湖南考区", "长沙市考点",
        r.CreatedAt, Portrait(), new NoticeSeal(Auth).Code(r, document), r.TrialInstitutionCount);

    private static string ReadQr(Action<SKCanvas> draw)
    {
        const int scale = 2;
        using var bitmap = new SKBitmap((int)PrintableDocuments.PageWidth * scale, (int)PrintableDocuments.PageHeight * scale, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            draw(canvas);
        }
        return PrintedQrCodes.Read(bitmap, scale);
    }

    [Theory]
    [InlineData(PrintableDocuments.RegistrationNotice, 1)]
    [InlineData(PrintableDocuments.TrialPeriodCertificate, 2)] // one form per trial institution
    public void The_pdf_has_one_page_per_copy(string document, int pages)
    {
        var registration = Registration();
        var pdf = PrintableDocuments.Pdf(document, Data(registration, document));
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        Assert.Equal(pages, System.Text.RegularExpressions.Regex.Count(text, @"/Type\s*/Page\b"));
        if (Environment.GetEnvironmentVariable("EXAMREVIEW_DRAWINGS_DIR") is { Length: > 0 } dir)
        {
            File.WriteAllBytes(Path.Combine(dir, document + ".pdf"), pdf); // for a person to look at (pdftoppm -png)
        }
    }

    [Fact]
    public void The_notices_qr_code_reads_back_and_verifies_for_this_registration_only()
    {
        var registration = Registration();
        var data = Data(registration, PrintableDocuments.RegistrationNotice);
        var code = ReadQr(canvas => PrintableDocuments.DrawNotice(canvas, data));
        Assert.Equal(data.VerificationCode, code);

        var seal = new NoticeSeal(Auth);
        Assert.True(seal.Verify(code, registration));
        Assert.Equal(new SealedNotice(registration.RegistrationNumber, PrintableDocuments.RegistrationNotice), NoticeSeal.Parse(code));

        registration.FullName = "欧阳明月"; // corrected by site staff: the old printout no longer verifies
        Assert.False(seal.Verify(code, registration));
        Assert.False(new NoticeSeal(new AuthOptions { SigningKeys = [DevTokenIssuer.NewKey()] }).Verify(code, Registration()));
        Assert.False(seal.Verify(code[..^2] + (code[^2] == 'A' ? "B" : "A") + code[^1], Registration()));
    }

    [Fact]
    public void The_trial_forms_qr_code_names_the_form()
    {
        var registration = Registration();
        var data = Data(registration, PrintableDocuments.TrialPeriodCertificate);
        var code = ReadQr(canvas => PrintableDocuments.DrawTrialForm(canvas, data, 1, 2));
        Assert.Equal(PrintableDocuments.TrialPeriodCertificate, NoticeSeal.Parse(code)!.Document);
        Assert.True(new NoticeSeal(Auth).Verify(code, registration));
    }

    [Fact]
    public void A_code_zxings_search_misses_is_still_read_where_the_layout_prints_it()
    {
        // A real verification code whose symbol ZXing's finder search misses at most scales (the CI failure).
        const string code = "ERN1.2027430012345678.trial-period-certificate.CYEX7Adoqklfl6NPtgSdJTROyOYSHWm3KhfcYvb0XJo";
        const float scale = 150f / 72;
        using var page = new SKBitmap((int)(PrintableDocuments.PageWidth * scale), (int)(PrintableDocuments.PageHeight * scale), SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(page))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(scale);
            QrCodes.Draw(canvas, code, PrintableDocuments.QrArea);
        }
        Assert.Equal(code, PrintedQrCodes.Read(page, scale));
    }

    [Fact]
    public void Random_verification_codes_on_the_trial_form_all_read_back()
    {
        const float scale = 150f / 72; // as the integration test rasterises the PDF
        for (var i = 0; i < 60; i++)
        {
            var registration = Registration();
            var data = Data(registration, PrintableDocuments.TrialPeriodCertificate) with { VerificationCode = new NoticeSeal(new AuthOptions { SigningKeys = [DevTokenIssuer.NewKey()] }).Code(registration, PrintableDocuments.TrialPeriodCertificate) };
            using var page = new SKBitmap((int)(PrintableDocuments.PageWidth * scale), (int)(PrintableDocuments.PageHeight * scale), SKColorType.Gray8, SKAlphaType.Opaque);
            using (var canvas = new SKCanvas(page))
            {
                canvas.Clear(SKColors.White);
                canvas.Scale(scale);
                PrintableDocuments.DrawTrialForm(canvas, data, 1, 1);
            }
            Assert.Equal(data.VerificationCode, PrintedQrCodes.Read(page, scale));
        }
    }
}
