using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.MaterialStorage.Api;

/// <summary>Translates the aggregate's refusals into problem responses: the kind picks the status, the texts stay the domain's.</summary>
public static class RefusalProblems
{
    public static ProblemHttpResult ToProblem(this Refusal refusal)
    {
        if (refusal.Kind == RefusalKind.InvalidField)
        {
            return refusal.Fields.Aggregate(new RequestErrors(), (errors, f) => errors.Require(false, f.Field, f.DetailZh, f.DetailEn)).ToProblem();
        }
        var status = refusal.Kind switch
        {
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.Conflict => StatusCodes.Status409Conflict,
            RefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
            RefusalKind.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
            RefusalKind.NotYet => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Problems.Localised(status, refusal.Code, refusal.DetailZh, refusal.DetailEn,
            refusal.Facts?.ToDictionary(f => f.Key, f => f.Value), refusal.FactsEn);
    }

    /// <summary>The problem, and the refusal's Retry-After (RFC 9110, in seconds) on the response that carries it.</summary>
    public static ProblemHttpResult ToProblem(this Refusal refusal, HttpResponse response)
    {
        if (refusal.RetryAfter is { } wait)
        {
            RetryAfter.Set(response, wait);
        }
        return refusal.ToProblem();
    }
}
