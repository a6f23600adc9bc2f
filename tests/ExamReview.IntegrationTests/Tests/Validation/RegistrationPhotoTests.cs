using System.Net;
using System.Net.Http.Headers;
using ExamReview.Imaging;
using NetVips;
using ExamReview.IntegrationTests.Platform;
using Portraits = ExamReview.ImageValidation.Tests.TestImages;

namespace ExamReview.IntegrationTests.Tests.Validation;

/// <summary>Registration accepts only the exact bytes the photo tool marked.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class RegistrationPhotoTests(EmbeddedPlatform platform)
{
    private static MultipartFormDataContent FileForm(byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return new MultipartFormDataContent { { file, "file", "photo.jpg" } };
    }

    private async Task<byte[]> MarkedPhotoAsync()
    {
        using var form = FileForm(ExamReview.ImageValidation.Tests.FacePortraits.OnWhiteJpeg()); // a real face
        using var response = await platform.Client.SendAsync(HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", token: null, form);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<HttpResponseMessage> PutPhotoAsync(string token, byte[] photo)
    {
        using var form = FileForm(photo);
        return await platform.Client.SendAsync(HttpMethod.Put, "Registration", "/api/v1/registrations/me/photo", token, form);
    }

    [Fact]
    public async Task The_marked_photo_is_accepted_and_any_changed_or_unmarked_photo_is_refused()
    {
        var candidateId = Guid.NewGuid();
        var token = await platform.Client.CandidateTokenAsync(candidateId);
        await platform.Client.RegisterAsync(token);
        var marked = await MarkedPhotoAsync();

        var edited = (byte[])marked.Clone();
        edited[^100] ^= 0x01; // one bit in the entropy-coded pixels
        using var reencodedImage = Image.NewFromBuffer(marked);
        var reencoded = reencodedImage.JpegsaveBuffer(q: 60, keep: Enums.ForeignKeep.None); // under 30 KB: refused for the mark, not the size
        var foreign = Portraits.PortraitJpeg(300, 420, Portraits.White, quality: 60);

        foreach (var (photo, reason) in new[] { (edited, "MacMismatch"), (reencoded, "Missing"), (foreign, "Missing") })
        {
            using var refused = await PutPhotoAsync(token, photo);
            var problem = await PlatformClient.ProblemAsync(refused, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("photo_not_verified", problem["code"]!.GetValue<string>());
            Assert.Equal(reason, problem["reason"]!.GetValue<string>());
        }
        using (var none = await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me/photo", token))
        {
            await PlatformClient.ProblemAsync(none, HttpStatusCode.NotFound);
        }

        using (var accepted = await PutPhotoAsync(token, marked))
        {
            await PlatformClient.EnsureAsync(accepted, HttpStatusCode.OK);
        }
        using var stored = await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/registrations/me/photo", token);
        Assert.Equal(marked, await stored.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_photo_needs_a_registration_and_a_candidate_token()
    {
        var marked = await MarkedPhotoAsync();
        using (var anonymous = await PutPhotoAsync(token: null!, marked))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }
        var unregistered = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        using var response = await PutPhotoAsync(unregistered, marked);
        await PlatformClient.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
