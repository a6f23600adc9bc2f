using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi;

namespace ExamReview.ServiceDefaults.OpenApi;

/// <summary>
/// A stable <c>operationId</c> for every operation. An endpoint's name (<c>.WithName(...)</c>) is its operation id; an
/// endpoint without one gets an id derived from its method and route, which changes only when the route does
/// (<c>GET /api/v1/reviews/cases/{caseId}/timeline</c> → <c>getReviewsCasesByCaseIdTimeline</c>).
/// </summary>
public static class OperationIds
{
    public static void Apply(OpenApiOperation operation, ApiDescription description)
    {
        if (string.IsNullOrEmpty(operation.OperationId))
        {
            operation.OperationId = Derive(description.HttpMethod ?? "get", description.RelativePath ?? "");
        }
    }

    public static string Derive(string method, string relativePath)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        var path = relativePath.Split('?')[0];
        if (path.StartsWith("api/v1/", StringComparison.Ordinal))
        {
            path = path["api/v1/".Length..];
        }
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith('{'))
            {
                var close = segment.IndexOf('}');
                id.Append("By").Append(Pascal(segment[1..close].Split(':')[0]));
                id.Append(Pascal(segment[(close + 1)..]));
            }
            else
            {
                id.Append(Pascal(segment));
            }
        }
        return id.ToString();
    }

    private static string Pascal(string text)
    {
        var result = new StringBuilder();
        foreach (var word in text.Split(['-', '.', '_'], StringSplitOptions.RemoveEmptyEntries))
        {
            result.Append(char.ToUpper(word[0], CultureInfo.InvariantCulture)).Append(word.AsSpan(1));
        }
        return result.ToString();
    }
}
