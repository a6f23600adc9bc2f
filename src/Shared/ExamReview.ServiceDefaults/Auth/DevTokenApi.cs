using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ExamReview.ServiceDefaults.Auth;

/// <summary>Development token issuer for the embedded run and tests; mapped only when Auth:DevTokens:Enabled is true.</summary>
public static class DevTokenApi
{
    public static void MapDevTokenApi(this IEndpointRouteBuilder app, string routePrefix)
    {
        app.MapPost($"{routePrefix}/dev/tokens", Issue)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithTags("Development")
            .WithName("issueDevToken")
            .WithSummary("签发平台令牌（仅开发用）")
            .WithDescription("Mints a platform token (development only).");
    }

    private static Results<Ok<TokenResponse>, ProblemHttpResult> Issue(TokenRequest request, DevTokenIssuer issuer)
    {
        var errors = new RequestErrors()
            .Require(!string.IsNullOrWhiteSpace(request.Subject), "subject", "必填。", "is required")
            .Require(Roles.All.Contains(request.Role ?? "") && request.Role != Roles.Service, "role",
                $"必须是以下之一：{string.Join("、", Roles.All.Where(r => r != Roles.Service))}（服务之间使用各自的凭据）。",
                $"must be one of: {string.Join(", ", Roles.All.Where(r => r != Roles.Service))} (services use their own credentials)")
            .Require(request.Role != Roles.Candidate || request.CandidateId is not null, "candidateId", "考生角色必填。", "is required for the candidate role")
            .Require(request.Role != Roles.SiteReviewer || !string.IsNullOrWhiteSpace(request.Site), "site", "考点审核角色必填。", "is required for the site-reviewer role")
            .Require(request.Role is not (Roles.AreaReviewer or Roles.Province) || !string.IsNullOrWhiteSpace(request.Area), "area", "考区范围的角色必填。", "is required for area-scoped roles");
        return errors.Any ? errors.ToProblem() : TypedResults.Ok(issuer.Issue(request));
    }
}
