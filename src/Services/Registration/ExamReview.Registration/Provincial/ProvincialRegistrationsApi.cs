using System.Security.Claims;
using ExamReview.Registration.Api;
using ExamReview.Registration.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Provincial;

/// <summary>
/// The provincial systems' side of Registration: the province's registrations as a change feed, one registration with
/// its ETag, and a correction pushed in with a reason through the same path site staff use (audited, RegistrationCorrected),
/// recorded under the client's name. Everything is scoped to the token's area: another province's candidate is a 404.
/// </summary>
public static class ProvincialRegistrationsApi
{
    public const string Prefix = "/api/v1/provincial/registrations";

    public static void MapProvincialRegistrationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapProvincialGroup(Prefix);
        group.MapGet("/", ListAsync).WithName("syncProvincialRegistrations").WithSummary("增量同步本省的报名信息（变更流，游标分页）")
            .WithDescription("The province's registrations as a change feed: send the previous page's nextCursor as cursor (none: from the start).")
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, IdempotencyProblems.InvalidCursorCode, IdempotencyProblems.CursorAheadCode);
        group.MapGet("/{candidateId:guid}", GetAsync).WithName("getProvincialRegistration").WithSummary("读取本省一名考生的报名信息（带 ETag）")
            .WithDescription("One registration of the province, with its ETag for a correction's If-Match.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found");
        group.MapPost("/{candidateId:guid}/corrections", CorrectAsync).WithName("correctProvincialRegistration")
            .WithSummary("省级系统更正报名信息（须填写原因，留痕；需 Idempotency-Key 与 If-Match）")
            .WithDescription("Corrects fields of a registration of the province with a reason, recorded under the client's name; needs Idempotency-Key and If-Match.")
            .RequireIdempotencyKey<RegistrationDbContext>()
            .RequireIfMatch()
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, Domain.CorrectionRefusals.ReviewFinishedCode, Domain.IdNumberHolding.RegisteredCode)
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "nothing_to_correct");
    }

    private static Task<Results<Ok<RegistrationFeedPage>, ProblemHttpResult>> ListAsync(
        string? cursor, int? limit, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct) =>
        FeedQuery.PageAsync(db, RegistrationFeedProjection.Feed, user.Area()!, cursor, limit,
            (row, position) => new RegistrationFeedItem(position, row.ItemId, row.Deleted, row.ChangedAt, FeedQuery.Payload<ProvincialRegistration>(row)),
            (items, next, more) => new RegistrationFeedPage(items, next, more), ct);

    private static async Task<Results<Ok<ProvincialRegistration>, ProblemHttpResult>> GetAsync(
        Guid candidateId, ClaimsPrincipal user, RegistrationDbContext db, HttpResponse response, CancellationToken ct)
    {
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId && r.AreaCode == user.Area(), ct);
        if (registration is null)
        {
            return CorrectionsApi.NotFound(candidateId);
        }
        Preconditions.SetETag(response, registration.Version);
        return TypedResults.Ok(ProvincialRegistration.Of(registration));
    }

    /// <summary>What a provincial correction needs: the candidate, the body, and the services it works with (the If-Match is read from the request).</summary>
    public sealed record ProvincialCorrectionCall(
        [FromRoute(Name = "candidateId")] Guid CandidateId,
        CorrectionRequest Request,
        ClaimsPrincipal User,
        RegistrationDbContext Db,
        TimeProvider Clock,
        HttpContext Http);

    private static async Task<Results<Ok<ProvincialRegistration>, ProblemHttpResult>> CorrectAsync([AsParameters] ProvincialCorrectionCall call, CancellationToken ct)
    {
        var (request, user, db) = (call.Request, call.User, call.Db);
        var errors = CorrectionsApi.Validate(request, DateOnly.FromDateTime(call.Clock.GetUtcNow().UtcDateTime), out var values);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == call.CandidateId && r.AreaCode == user.Area(), ct);
        if (registration is null)
        {
            return CorrectionsApi.NotFound(call.CandidateId);
        }
        if (Preconditions.Check(call.Http.Request, registration.Version) is { } precondition)
        {
            return precondition;
        }
        var correction = new Correction(values, request.Reason!.Trim(), user.ProvincialActor(), call.Clock.GetUtcNow());
        var refused = await CorrectionsApi.ApplyAsync(registration, correction, db, IdempotencyProblems.Stale, ct);
        if (refused is not null)
        {
            return refused;
        }
        Preconditions.SetETag(call.Http.Response, registration.Version);
        return TypedResults.Ok(ProvincialRegistration.Of(registration));
    }
}
