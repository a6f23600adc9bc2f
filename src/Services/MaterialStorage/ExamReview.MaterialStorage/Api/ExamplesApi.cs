using System.Text.RegularExpressions;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain.Examples;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExamReview.MaterialStorage.Api;

/// <summary>
/// The examples (示例) of the checklist: <c>GET /api/v1/materials/examples/{file}</c> answers the drawing a catalog
/// item's <c>exampleImage</c> (<c>examples/&lt;file&gt;</c>, relative to this API) names. Public: an example holds no
/// personal data and an &lt;img&gt; carries no bearer token; cacheable for a day, revalidated by entity tag.
/// </summary>
public static partial class ExamplesApi
{
    public const int MaxAgeSeconds = 24 * 60 * 60;

    public static void MapExamplesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(MaterialsApi.Prefix + "/examples/{file}", Get).AllowAnonymous().WithTags("Catalogs")
            .WithName("getExampleImage").WithSummary("材料目录项的示例图片（带“样例”水印，公开）").WithDescription("A catalog item's example image (示例), watermarked 样例.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "example_not_found");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Get(
        string file, HttpResponse response, MaterialStorageDbContext db, ExampleImages examples, CancellationToken ct)
    {
        if (!FilePattern().IsMatch(file))
        {
            return Problems.Invalid("file", "示例图片文件名应为小写字母、数字和连字符加 .png（例如 id-card.png）。",
                "must be lower-case letters, digits and hyphens ending in .png (e.g. id-card.png)");
        }
        var example = await examples.FindAsync(db, ExampleImages.KeyPrefix + file, ct);
        if (example is null)
        {
            return Problems.NotFound("example_not_found", $"没有材料清单引用示例图片 {file}。", $"No catalog refers to the example image {file}.");
        }
        response.Headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        // TypedResults.File answers 304 to a matching If-None-Match by itself.
        return TypedResults.File(example.Png, "image/png", entityTag: new EntityTagHeaderValue(example.ETag));
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\.png\z")]
    private static partial Regex FilePattern();
}
