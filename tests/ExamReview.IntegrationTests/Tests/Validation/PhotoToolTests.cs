using System.Net;
using System.Net.Http.Headers;
using ExamReview.Imaging;
using NetVips;
using ExamReview.IntegrationTests.Platform;
using Portraits = ExamReview.ImageValidation.Tests.TestImages;

namespace ExamReview.IntegrationTests.Tests.Validation;

[Collection(EmbeddedCollection.Name)]
public sealed class PhotoToolTests(EmbeddedPlatform platform)
{
    private static MultipartFormDataContent FileForm(byte[] content, string fileName = "photo.jpg")
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    [Fact]
    public async Task A_compliant_photo_comes_back_as_a_marked_jpeg_under_30_kb_without_signing_in()
    {
        var upload = ExamReview.ImageValidation.Tests.FacePortraits.OnWhiteJpeg(); // a real face: the photo tool checks for one
        using var form = FileForm(upload);
        using var response = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, form);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.Length < 30_000, $"{body.Length} bytes");
        using var photo = Image.NewFromBuffer(body);
        Assert.True(photo.Width >= 190 && photo.Height >= 254, $"{photo.Width}x{photo.Height}");
        Assert.True(body.AsSpan().IndexOf("EXAMREVIEW-PASS"u8) > 0, "the pass mark segment is missing");
    }

    [Fact]
    public async Task A_grey_background_or_a_blurred_photo_gets_a_422_with_findings()
    {
        foreach (var (upload, expected) in new[]
        {
            (Portraits.PortraitJpeg(480, 640, Portraits.Grey), "photo.background_not_white"),
            (Portraits.PortraitJpeg(480, 640, Portraits.White, blurSigma: 6), "photo.blurred"),
            (Portraits.PortraitJpeg(120, 160, Portraits.White), "photo.too_small"),
            (Portraits.PortraitJpeg(480, 640, Portraits.White), "photo.face.none"), // drawn: no face to a detector
        })
        {
            await AssertRefusedWithAsync(upload, expected);
        }
    }

    private async Task AssertRefusedWithAsync(byte[] upload, string expected)
    {
        using var form = FileForm(upload);
        using var response = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, form);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var codes = problem["findings"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()).ToList();
        Assert.Contains(expected, codes);
        Assert.All(problem["findings"]!.AsArray(), f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f!["messageZh"]!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(f["messageEn"]!.GetValue<string>()));
        });
    }

    [Fact]
    public async Task No_file_is_a_400_problem_a_text_file_is_no_photo_and_a_png_photo_is_converted()
    {
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        using var missing = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, empty);
        await PlatformClient.ProblemAsync(missing, HttpStatusCode.BadRequest);

        using var textForm = FileForm("not a photo at all"u8.ToArray(), "photo.jpg");
        using var text = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, textForm);
        var problem = await PlatformClient.ProblemAsync(text, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(problem["findings"]!.AsArray(), f => f!["code"]!.GetValue<string>() == "photo.not_jpeg");

        // Any photo format a candidate has is converted, as the official tool does, never refused for its format
        // (a real face: the photo tool checks for one).
        using var mat = ExamReview.ImageValidation.Tests.FacePortraits.OnWhite();
        using var portrait = ExamReview.ImageValidation.Tests.FacePortraits.ToVips(mat);
        using var pngForm = FileForm(portrait.PngsaveBuffer(), "photo.png");
        using var png = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, pngForm);
        var body = await png.Content.ReadAsByteArrayAsync();
        Assert.True(png.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal(ImageFormat.Jpeg, ImageFormatDetector.Detect(body));
    }
}
