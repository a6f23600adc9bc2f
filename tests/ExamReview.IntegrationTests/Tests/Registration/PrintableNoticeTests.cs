using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ExamReview.Imaging;
using ExamReview.IntegrationTests.Platform;
using SkiaSharp;
using ExamReview.UnitTests.Registration;

namespace ExamReview.IntegrationTests.Tests.Registration;

/// <summary>
/// The registration system's printable documents: the candidate downloads the PDFs, the printed QR code (the page
/// rasterised by poppler's pdftoppm, read by ZXing) verifies at the public endpoint, and stops verifying once staff
/// corrected the name on it.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class PrintableNoticeTests(EmbeddedPlatform platform)
{
    private const string Registration = "Registration";
    private const int Resolution = 150; // dpi, a plain office scan

    internal static async Task AcceptPhotoAsync(PlatformClient client, string token)
    {
        VipsRuntime.Initialise();
        byte[] marked;
        using (var tool = await client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, FileForm(ExamReview.ImageValidation.Tests.FacePortraits.OnWhiteJpeg()))) // a real face: the tool checks for one
        {
            await PlatformClient.EnsureAsync(tool, HttpStatusCode.OK);
            marked = await tool.Content.ReadAsByteArrayAsync();
        }
        using var accepted = await client.SendAsync(HttpMethod.Put, Registration, "/api/v1/registrations/me/photo", token, FileForm(marked));
        await PlatformClient.EnsureAsync(accepted, HttpStatusCode.OK);
    }

    private static MultipartFormDataContent FileForm(byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new MultipartFormDataContent { { file, "file", "photo.jpg" } };
    }

    /// <summary>Rasterises the PDF's first page with pdftoppm (poppler-utils) and reads its QR code.</summary>
    private static async Task<string> ReadQrAsync(byte[] pdf)
    {
        var dir = Directory.CreateTempSubdirectory("notice-");
        try
        {
            var input = Path.Combine(dir.FullName, "notice.pdf");
            await File.WriteAllBytesAsync(input, pdf);
            using (var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-png", "-r", Resolution.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "1", "-l", "1", "-singlefile", input, Path.Combine(dir.FullName, "page")])
            {
                RedirectStandardError = true,
            })!)
            {
                await process.WaitForExitAsync();
                Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
            }
            using var page = SKBitmap.Decode(Path.Combine(dir.FullName, "page.png"));
            return PrintedQrCodes.Read(page, Resolution / 72f);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_notice_pdf_carries_a_qr_code_that_verifies_until_the_name_is_corrected()
    {
        var candidateId = Guid.NewGuid();
        var token = await platform.Client.CandidateTokenAsync(candidateId);
        await platform.Client.RegisterAsync(token);
        using (var noPhoto = await platform.Client.SendAsync(HttpMethod.Get, Registration, "/api/v1/registrations/me/documents/registration-notice.pdf", token))
        {
            Assert.Equal("photo_not_accepted", (await PlatformClient.ProblemAsync(noPhoto, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
        }
        await AcceptPhotoAsync(platform.Client, token);

        using var response = await platform.Client.SendAsync(HttpMethod.Get, Registration, "/api/v1/registrations/me/documents/registration-notice.pdf", token);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var code = await ReadQrAsync(await response.Content.ReadAsByteArrayAsync());

        var me = await platform.Client.GetJsonAsync(Registration, "/api/v1/registrations/me", token);
        var verified = await platform.Client.GetJsonAsync(Registration, "/api/v1/registrations/notices/verify?code=" + Uri.EscapeDataString(code), token: null!);
        Assert.True(verified["valid"]!.GetValue<bool>());
        Assert.Equal(me["registrationNumber"]!.GetValue<string>(), verified["registrationNumber"]!.GetValue<string>());
        Assert.Equal(("张*", "网上报名成功通知单", "湖南考区", "长沙市考点"),
            (verified["maskedName"]!.GetValue<string>(), verified["documentName"]!.GetValue<string>(), verified["areaName"]!.GetValue<string>(), verified["siteName"]!.GetValue<string>()));

        using (var trial = await platform.Client.SendAsync(HttpMethod.Get, Registration, "/api/v1/registrations/me/documents/trial-period-certificate.pdf", token))
        {
            await PlatformClient.EnsureAsync(trial, HttpStatusCode.OK);
            var trialCode = await ReadQrAsync(await trial.Content.ReadAsByteArrayAsync());
            Assert.Contains(".trial-period-certificate.", trialCode, StringComparison.Ordinal);
        }

        var site = await platform.Client.SiteReviewerTokenAsync("4301");
        using (var corrected = await platform.Client.SendAsync(HttpMethod.Post, Registration, $"/api/v1/registrations/{candidateId}/corrections", site,
            System.Net.Http.Json.JsonContent.Create(new { fullName = "张三丰", reason = "考生持身份证到考点核对，姓名录入有误" })))
        {
            await PlatformClient.EnsureAsync(corrected, HttpStatusCode.OK);
        }
        using var stale = await platform.Client.SendAsync(HttpMethod.Get, Registration, "/api/v1/registrations/notices/verify?code=" + Uri.EscapeDataString(code), null);
        Assert.Equal("notice_not_verified", (await PlatformClient.ProblemAsync(stale, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        using var garbage = await platform.Client.SendAsync(HttpMethod.Get, Registration, "/api/v1/registrations/notices/verify?code=hello", null);
        await PlatformClient.ProblemAsync(garbage, HttpStatusCode.BadRequest);
    }
}
