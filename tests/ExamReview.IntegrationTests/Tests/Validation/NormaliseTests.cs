using System.Net;
using System.Net.Http.Headers;
using ExamReview.Imaging;
using NetVips;
using ExamReview.IntegrationTests.Platform;
using Generated = ExamReview.ImageValidation.Tests.TestImages;

namespace ExamReview.IntegrationTests.Tests.Validation;

[Collection(EmbeddedCollection.Name)]
public sealed class NormaliseTests(EmbeddedPlatform platform)
{
    private static MultipartFormDataContent FileForm(byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", "IMG_0001.JPG" } };
    }

    [Fact]
    public async Task A_phone_photo_of_a_document_becomes_an_upright_jpeg_of_at_most_200_kb()
    {
        var phonePhoto = Generated.DocumentJpeg(3000, 4000, noise: 10, quality: 90);
        Assert.True(phonePhoto.Length > 1_000_000, $"the input should be phone-sized, is {phonePhoto.Length} bytes");
        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());

        using var form = FileForm(phonePhoto);
        using var response = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/normalise", token, form);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
        Assert.True(body.Length <= 200 * 1024, $"{body.Length} bytes");
        using var image = Image.NewFromBuffer(body);
        Assert.True(Math.Min(image.Width, image.Height) >= 600, $"{image.Width}x{image.Height} is too small to stay legible");
        Assert.True(image.Height > image.Width, "the page stays upright (portrait)");
    }

    [Fact]
    public async Task Uploading_with_normalise_stores_the_compliant_jpeg_instead_of_refusing_the_phone_photo()
    {
        var client = platform.Client;
        var (candidateId, token) = await client.NewCandidateAsync();
        var phonePhoto = Generated.DocumentJpeg(3000, 4000, noise: 10, quality: 90);
        var path = $"/api/v1/materials/candidates/{candidateId}/images";

        using (var plain = PlatformClient.ImageForm("graduation-certificate", phonePhoto))
        using (var refused = await client.SendAsync(HttpMethod.Post, "MaterialStorage", path, token, plain))
        {
            await PlatformClient.ProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge);
        }

        using var form = PlatformClient.ImageForm("graduation-certificate", phonePhoto);
        form.Add(new StringContent("true"), "normalise");
        using var response = await client.SendAsync(HttpMethod.Post, "MaterialStorage", path, token, form);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.Created);
        var image = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(response.Content);
        Assert.Equal("image/jpeg", image!["contentType"]!.GetValue<string>());
        Assert.True(image["length"]!.GetValue<long>() <= 200 * 1024);

        var verdict = await Infrastructure.Eventually.GetAsync(async () =>
        {
            var view = await client.GetJsonAsync("MaterialStorage", $"/api/v1/materials/candidates/{candidateId}", token);
            var validation = view["images"]![0]!["validation"]!.GetValue<string>();
            return validation == "Pending" ? null : validation;
        }, "the normalised image's validation");
        Assert.Equal("Passed", verdict);
    }

    [Fact]
    public async Task Normalising_needs_a_token_and_refuses_what_it_cannot_fix()
    {
        using (var anonymous = FileForm(TestImages.Document()))
        using (var refused = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/normalise", token: null, anonymous))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        using var form = FileForm("%PDF-1.7 not an image"u8.ToArray());
        using var response = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/normalise", token, form);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(problem["findings"]!.AsArray());
    }
}
