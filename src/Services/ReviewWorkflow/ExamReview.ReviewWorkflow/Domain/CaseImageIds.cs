using System.Text.Json;

namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>The images a case holds, in submission order, as <see cref="ReviewCase.ImageIdsJson"/> stores them.</summary>
public static class CaseImageIds
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<Guid> Of(ReviewCase reviewCase) => FromJson(reviewCase.ImageIdsJson);

    public static IReadOnlyList<Guid> FromJson(string json) => JsonSerializer.Deserialize<List<Guid>>(json, Json) ?? [];

    public static string ToJson(IReadOnlyList<Guid> imageIds) => JsonSerializer.Serialize(imageIds, Json);
}
