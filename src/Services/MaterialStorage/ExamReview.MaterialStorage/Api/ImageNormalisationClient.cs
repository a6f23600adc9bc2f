using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Hosting;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// The upload and replacement option <c>normalise=true</c>: a phone photo (~1.5 MB JPEG, HEIC, PNG) goes
/// through ImageValidation's normaliser before any other check, so candidates are helped rather than refused.
/// </summary>
public sealed class ImageNormalisationClient(ServiceClients clients)
{
    public async Task<(byte[]? Jpeg, Refusal? Refusal)> NormaliseAsync(byte[] content, string? fileName, CancellationToken ct)
    {
        using var client = clients.Create("imagevalidation", "materialstorage");
        using var file = new ByteArrayContent(content);
        using var form = new MultipartFormDataContent { { file, "file", string.IsNullOrWhiteSpace(fileName) ? "upload" : Path.GetFileName(fileName) } };
        using var response = await client.PostAsync("/api/v1/validation/normalise", form, ct);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadAsByteArrayAsync(ct), null);
        }
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            var detail = problem?["detail"]?.GetValue<string>();
            return (null, new Refusal(RefusalKind.Unprocessable, "normalisation_failed",
                detail ?? "无法把这张照片处理成符合要求的证件图片，请换一张更清晰、完整的照片。",
                detail ?? "The image cannot be turned into a compliant document image.",
                new Dictionary<string, object?> { ["findings"] = problem?["findings"] }));
        }
        response.EnsureSuccessStatusCode();
        throw new InvalidOperationException($"ImageValidation answered {(int)response.StatusCode} to a normalisation request.");
    }
}
