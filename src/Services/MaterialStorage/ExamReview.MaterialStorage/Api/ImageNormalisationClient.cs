using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// The upload option <c>normalise=true</c>: a phone photo (~1.5 MB JPEG, HEIC, PNG) goes through
/// ImageValidation's normaliser before any other check, so candidates are helped rather than refused.
/// </summary>
public sealed class ImageNormalisationClient(ServiceClients clients)
{
    /// <summary>Largest phone photo accepted for normalisation.</summary>
    public const long MaxInputBytes = 15 * 1024 * 1024;

    public async Task<(byte[]? Jpeg, ProblemHttpResult? Problem)> NormaliseAsync(byte[] content, string? fileName, CancellationToken ct)
    {
        using var client = clients.Create("imagevalidation", "materialstorage");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", string.IsNullOrWhiteSpace(fileName) ? "upload" : Path.GetFileName(fileName) } };
        using var response = await client.PostAsync("/api/v1/validation/normalise", form, ct);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadAsByteArrayAsync(ct), null);
        }
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            return (null, Problems.Unprocessable("normalisation_failed",
                problem?["detail"]?.GetValue<string>() ?? "The image cannot be turned into a compliant document image.",
                new Dictionary<string, object?> { ["findings"] = problem?["findings"] }));
        }
        response.EnsureSuccessStatusCode();
        throw new InvalidOperationException($"ImageValidation answered {(int)response.StatusCode} to a normalisation request.");
    }
}
