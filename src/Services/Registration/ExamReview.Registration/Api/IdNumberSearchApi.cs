using System.Security.Claims;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.RateLimits;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

/// <summary>The full ID number to look for; in the body, so it never appears in a URL, a query string or a request log.</summary>
public sealed record IdNumberSearchRequest(string? IdNumber);

/// <summary>A registration whose ID number matched, with the number masked; the full number stays behind the logged identity view.</summary>
public sealed record IdNumberMatch(
    Guid CandidateId,
    string RegistrationNumber,
    int ExamYear,
    string FullName,
    string MaskedIdNumber,
    string AreaCode,
    string SiteCode,
    string IdentityUrl);

public sealed record IdNumberSearchResponse(IReadOnlyList<IdNumberMatch> Matches);

/// <summary>
/// Reviewers find a candidate by the full ID number (a candidate on the phone, a paper form) without the service
/// decrypting every row: the number's blind index (<see cref="RegistrationDbContext.RegistrationsWithIdNumber"/>) finds
/// it, the caller's scope filters in the same query (site reviewers their site, area reviewers their area, operators
/// everything), and a number with no registration in scope answers exactly as one with none at all. Each registration
/// handed out is logged in the identity access log first; the answer shows the number masked.
/// </summary>
public static class IdNumberSearchApi
{
    public const string SearchWhat = "id-number-search";

    public static void MapIdNumberSearchApi(this RouteGroupBuilder group)
    {
        group.MapPost("/search/id-number", Search)
            // Reviewers with their scope claim (as Policies.Reviewer asks) and operators; no candidate, no province.
            .RequireAuthorization(policy => policy.RequireAssertion(c =>
                (c.User.IsInRole(Roles.SiteReviewer) && c.User.HasClaim(x => x.Type == PlatformClaims.Site)) ||
                (c.User.IsInRole(Roles.AreaReviewer) && c.User.HasClaim(x => x.Type == PlatformClaims.Area)) ||
                c.User.IsInRole(Roles.Operator)))
            // Each guess costs budget: the index answers exact numbers only, and guessing them is what this limits.
            .RequireRateLimiting(RateLimitPolicies.PerClientAndAddress)
            .WithName("searchByIdNumber").WithSummary("按完整证件号码查找范围内的考生（记录日志，号码打码显示）")
            .WithDescription("Finds the registrations in the caller's scope whose ID number equals the one given, through the blind index; " +
                "each one returned is logged in the identity access log. Outside the caller's scope looks exactly like no registration.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found");
    }

    private static async Task<Results<Ok<IdNumberSearchResponse>, ProblemHttpResult>> Search(
        IdNumberSearchRequest request, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        // The whole rule, check character included: a mistyped number is told so rather than answered "not found".
        if (ResidentIdNumbers.ShapeProblem(request.IdNumber?.Trim()) is { } problem)
        {
            return RegistrationsApi.Invalid([(ResidentIdNumbers.Field, problem.Zh, problem.En)]);
        }
        var (role, scope, inScope) = Scope(user);
        var matches = await inScope(db.RegistrationsWithIdNumber(request.IdNumber!)).AsNoTracking().OrderBy(r => r.Id).Take(20).ToListAsync(ct);
        if (matches.Count == 0)
        {
            // The number is never echoed back: the answer is the same whether it exists elsewhere or not at all.
            return Problems.NotFound("registration_not_found", "在您的范围内没有该证件号码的报名信息。", "No registration with this ID number exists in your scope.");
        }
        // The log rows commit before the data leaves: no search that found someone goes unrecorded.
        var now = clock.GetUtcNow();
        foreach (var match in matches)
        {
            db.IdentityAccesses.Add(new IdentityAccess
            {
                Id = Guid.CreateVersion7(),
                CandidateId = match.CandidateId,
                RegistrationId = match.Id,
                Actor = user.Actor(),
                Role = role,
                Scope = scope,
                What = SearchWhat,
                At = now,
            });
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new IdNumberSearchResponse(matches.Select(r => new IdNumberMatch(
            r.CandidateId, r.RegistrationNumber, r.ExamYear, r.FullName, RegistrationsApi.Mask(r.IdNumber), r.AreaCode, r.SiteCode,
            $"{RegistrationsApi.Prefix}/{r.CandidateId}/identity")).ToList()));
    }

    /// <summary>The caller's role and scope as logged, and the filter that keeps a query inside that scope.</summary>
    private static (string Role, string Scope, Func<IQueryable<CandidateRegistration>, IQueryable<CandidateRegistration>> InScope) Scope(ClaimsPrincipal user)
    {
        if (user.IsInRole(Roles.Operator))
        {
            return (Roles.Operator, "all", q => q);
        }
        if (user.IsInRole(Roles.SiteReviewer))
        {
            var site = user.Site() ?? "";
            return (Roles.SiteReviewer, $"site:{site}", q => q.Where(r => r.SiteCode == site));
        }
        var area = user.Area() ?? "";
        return (Roles.AreaReviewer, $"area:{area}", q => q.Where(r => r.AreaCode == area));
    }
}
