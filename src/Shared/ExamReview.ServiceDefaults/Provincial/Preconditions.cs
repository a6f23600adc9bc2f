using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>
/// ETag / If-Match over an aggregate's concurrency version: a write based on a stale read gets 412, never a silent
/// overwrite; a write that needs a precondition and has none gets 428.
/// </summary>
public static class Preconditions
{
    public static string ETagOf(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Null when <c>If-Match</c> names the current version (or is <c>*</c>); otherwise the 428 or 412 to answer.</summary>
    public static ProblemHttpResult? Check(HttpRequest request, int currentVersion)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return IdempotencyProblems.IfMatchRequired();
        }
        return Matches(header, ETagOf(currentVersion)) ? null : IdempotencyProblems.Stale();
    }

    /// <summary>Strong comparison (RFC 9110 §13.1.1): a weak tag never matches; <c>*</c> matches any current representation.</summary>
    public static bool Matches(string ifMatch, string current)
    {
        if (ifMatch.Trim() == "*")
        {
            return true;
        }
        if (!EntityTagHeaderValue.TryParseList(ifMatch.Split(','), out var tags))
        {
            return false;
        }
        return tags.Any(t => !t.IsWeak && string.Equals(t.Tag.Value, current, StringComparison.Ordinal));
    }

    /// <summary>Sets the response's ETag to the version the write left.</summary>
    public static void SetETag(HttpResponse response, int version) => response.Headers.ETag = ETagOf(version);
}
