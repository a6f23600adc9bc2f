using System.Security.Claims;
using System.Security.Cryptography;
using ExamReview.Contracts;
using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

public sealed record CreateRegistrationRequest(
    string? FullName,
    string? IdNumber,
    string? MobileNumber,
    int ExamYear,
    string? AreaCode,
    string? SiteCode,
    string? ExamCategory,
    ProfileRequest? Profile = null);

public sealed record StatusView(string Code, string Label);

public sealed record RegistrationResponse(
    Guid RegistrationId,
    Guid CandidateId,
    string RegistrationNumber,
    int ExamYear,
    string AreaCode,
    string SiteCode,
    string ExamCategory,
    string FullName,
    string MaskedIdNumber,
    string MobileNumber,
    StatusView Status,
    string? Feedback,
    DateTimeOffset? RespondBy,
    DateTimeOffset UpdatedAt,
    ProfileView Profile);

public static class RegistrationsApi
{
    public const string Prefix = "/api/v1/registrations";

    public static void MapRegistrationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Registrations");
        group.MapPost("/", Create).RequireAuthorization(Policies.Candidate).WithName("createRegistration").WithSummary("考生创建自己的报名").WithDescription("Creates the calling candidate's registration.")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "unknown_exam_year", "unknown_area", "unknown_site")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "already_registered", IdNumberHolding.RegisteredCode);
        group.MapGet("/me", GetMine).RequireAuthorization(Policies.Candidate).WithName("getMyRegistration").WithSummary("查看本人的报名信息与状态").ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found");
        group.MapContactApi();
        group.MapProfileApi();
        group.MapHandoverApi();
        group.MapPhotoApi();
        group.MapReferenceDataApi();
        group.MapDocumentsApi();
        group.MapCorrectionsApi();
        group.MapIdentityApi();
        group.MapIdNumberSearchApi();
        group.MapAccountsApi();
        group.MapAccountSessionsApi();
        group.MapGet("/{candidateId:guid}", GetByCandidate).WithName("getRegistration").WithSummary("查看某考生的报名信息（本人或范围内的工作人员）").WithDescription("A candidate's registration, for the candidate or staff in scope.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope");
    }

    private static async Task<Results<Created<RegistrationResponse>, ProblemHttpResult>> Create(
        CreateRegistrationRequest request, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var draft = new RegistrationDraft(request.FullName, request.IdNumber, request.MobileNumber, request.ExamYear, request.AreaCode, request.SiteCode,
            request.ExamCategory, request.Profile.Facts());
        if (draft.Problems(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) is { Count: > 0 } problems)
        {
            return Invalid(problems);
        }

        var candidateId = user.CandidateId()!.Value;
        var site = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Code == request.SiteCode, ct);
        var yearOpen = await db.Years.AnyAsync(y => y.Year == request.ExamYear, ct);
        var areaExists = await db.Areas.AnyAsync(a => a.Code == request.AreaCode, ct);
        if (draft.RefusePlace(yearOpen, areaExists, site) is { } place)
        {
            return Problems.Unprocessable(place.Code, place.DetailZh, place.DetailEn);
        }
        if (await db.Registrations.AnyAsync(r => r.CandidateId == candidateId, ct))
        {
            return Problems.Conflict("already_registered", "该考生已经报名，请修改已有的报名信息。", "This candidate already has a registration; edit it instead.");
        }
        if (draft.RefuseIdNumber(await db.IdNumberHolderAsync(draft.ExamYear, draft.IdNumber!, ct)) is { } held)
        {
            return Problems.Conflict(held.Code, held.DetailZh, held.DetailEn);
        }

        var now = clock.GetUtcNow();
        for (var draw = 1; ; draw++)
        {
            db.ChangeTracker.Clear();
            var registration = CandidateRegistration.Open(candidateId, draft, NewRegistrationNumber(draft.ExamYear, draft.AreaCode!), now);
            db.Registrations.Add(registration);
            await db.ClaimIdNumberAsync(registration, now, ct);
            db.PublishAll(registration.Opened());
            try
            {
                await db.CommitAsync(ct);
                return TypedResults.Created($"{Prefix}/{candidateId}", ToResponse(registration));
            }
            catch (DbUpdateException ex) when (ex.IsLostRace())
            {
                // Two identical requests raced: the unique index kept one, the other is a conflict, not an error.
                if (await db.Registrations.AsNoTracking().AnyAsync(r => r.CandidateId == candidateId, CancellationToken.None))
                {
                    return Problems.Conflict("already_registered", "该考生已经报名，请修改已有的报名信息。", "This candidate already has a registration; edit it instead.");
                }
                // Or two people registered one ID number at once: the claim's key kept the first.
                if (draft.RefuseIdNumber(await db.IdNumberHolderAsync(draft.ExamYear, draft.IdNumber!, CancellationToken.None)) is { } taken)
                {
                    return Problems.Conflict(taken.Code, taken.DetailZh, taken.DetailEn);
                }
                // Otherwise the number was taken: eight random digits per year and area meet an earlier draw now and then
                // at national scale (about 18 times in 60,000 registrations of one area), so draw again.
                if (draw == MaxNumberDraws)
                {
                    throw;
                }
            }
        }
    }


    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> GetMine(ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        return registration is null
            ? Problems.NotFound("registration_not_found", "您还没有报名信息。", "You have no registration yet.")
            : TypedResults.Ok(ToResponse(registration));
    }

    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> GetByCandidate(Guid candidateId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        // Outside the caller's scope answers exactly as missing: nobody learns whom another site registered.
        return registration is not null && user.CanActFor(candidateId, registration.SiteCode, registration.AreaCode)
            ? TypedResults.Ok(ToResponse(registration))
            : Problems.NotFound("registration_not_found", $"考生 {candidateId} 没有报名信息。", $"No registration exists for candidate {candidateId}.");
    }

    internal static RegistrationResponse ToResponse(CandidateRegistration r) => new(
        r.Id, r.CandidateId, r.RegistrationNumber, r.ExamYear, r.AreaCode, r.SiteCode, r.ExamCategory, r.FullName,
        Mask(r.IdNumber), r.MobileNumber, new StatusView(r.Status.ToString(), r.Status.Label()), r.Feedback, r.RespondBy, r.UpdatedAt,
        ProfileApi.ToView(r));

    /// <summary>A 400 naming each field a domain check found wrong, in the order it found them.</summary>
    internal static ProblemHttpResult Invalid(IEnumerable<(string Field, string Zh, string En)> problems) =>
        problems.Aggregate(new RequestErrors(), (errors, p) => errors.Require(false, p.Field, p.Zh, p.En)).ToProblem();

    internal static string Mask(string idNumber) => idNumber.Length <= 8 ? "****" : idNumber[..4] + new string('*', idNumber.Length - 8) + idNumber[^4..];

    /// <summary>Draws of a registration number before a taken one is a fault: five collisions in a row would mean the space is nearly full.</summary>
    private const int MaxNumberDraws = 5;

    private static string NewRegistrationNumber(int year, string areaCode) =>
        $"{year}{areaCode}{RandomNumberGenerator.GetInt32(0, 100_000_000):D8}";
}
