using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>The <c>Retry-After</c> header (RFC 9110 §10.2.3) that 429 and 503 problems carry.</summary>
public static class RetryAfter
{
    /// <summary>Sets it in whole seconds, rounded up and at least 1: "0" would invite an immediate retry.</summary>
    public static void Set(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }
}
