using System.Security.Claims;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

/// <summary>What a reviewer compares the uploaded ID card with: the registration's name and full ID number.</summary>
public sealed record IdentityView(
    Guid CandidateId,
    string RegistrationNumber,
    string FullName,
    string IdNumber,
    string ExamCategory,
    string ExamCategoryName,
    string AreaCode,
    string SiteCode,
    string? PhotoUrl);

public sealed record IdentityAccessView(Guid Id, Guid CandidateId, string Actor, string Role, string Scope, Guid? CaseId, string What, DateTimeOffset At);

/// <summary>
/// Reviewers compare the ID card images with the registration. Registration owns the name and ID number, so the
/// reviewer console reads them here (the review case links to this endpoint) rather than ReviewWorkflow holding a
/// copy: the full ID number exists in one service only, the scope is checked against the registration as it is now
/// (a corrected site or number shows at once), and every view is logged where the data lives. Reviewers of the
/// registration's site or area only; operators read the log, not the data.
/// </summary>
public static class IdentityApi
{
    public const string PhotoWhat = "photo";
    public const string IdentityWhat = "identity";

    public static void MapIdentityApi(this RouteGroupBuilder group)
    {
        group.MapGet("/{candidateId:guid}/identity", Get).RequireAuthorization(Policies.Reviewer).WithName("getCandidateIdentity").WithSummary("审核员查看范围内考生的姓名和完整证件号（记录日志）")
            .WithDescription("The candidate's name and full ID number for a reviewer in scope; every view is logged (?caseId= names the review case).")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope");
        group.MapGet("/{candidateId:guid}/identity/photo", Photo).RequireAuthorization(Policies.Reviewer).WithName("getCandidatePhoto").WithSummary("审核员查看范围内考生的报名照片（记录日志）")
            .WithDescription("The accepted ID photo, for a reviewer in scope; logged like the identity.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found", "photo_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope");
        group.MapGet("/ops/identity-access", Log).RequireAuthorization(Policies.Operator).WithName("listIdentityAccess").WithSummary("身份信息查看日志（运营人员）")
            .WithDescription("The identity access log (who viewed which candidate's identity, when), newest first; filter by candidateId or actor.");
    }

    public sealed record IdentityCall(
        [FromRoute(Name = "candidateId")] Guid CandidateId,
        ClaimsPrincipal User,
        RegistrationDbContext Db,
        TimeProvider Clock);

    // caseId stays the handler's own parameter, after the record, for the reason given at Photo below.
    private static async Task<Results<Ok<IdentityView>, ProblemHttpResult>> Get([AsParameters] IdentityCall call, Guid? caseId, CancellationToken ct)
    {
        var (candidateId, user, db, clock) = call;
        var (registration, refusal) = await InScopeAsync(candidateId, user, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        // The log row commits before the data leaves: no view goes unrecorded.
        db.IdentityAccesses.Add(Access(registration!, user, caseId, IdentityWhat, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new IdentityView(
            registration!.CandidateId, registration.RegistrationNumber, registration.FullName, registration.IdNumber, registration.ExamCategory,
            ExamCategories.Label(registration.ExamCategory), registration.AreaCode, registration.SiteCode,
            registration.PhotoObjectKey is null ? null : $"{RegistrationsApi.Prefix}/{candidateId}/identity/photo"));
    }

    /// <summary>What a reviewer's read of the ID photo needs: the candidate (the route) and the services it works with.</summary>
    public sealed record IdentityPhotoCall(
        [FromRoute(Name = "candidateId")] Guid CandidateId,
        ClaimsPrincipal User,
        RegistrationDbContext Db,
        IObjectStore Store,
        HttpResponse Response,
        TimeProvider Clock);

    // caseId stays the handler's own parameter: a value that does not parse is answered (400) under the parameter's name,
    // which through the record would be the property's ("CaseId"). It follows the record so that the OpenAPI document
    // lists the route's candidateId first, as before.
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Photo([AsParameters] IdentityPhotoCall call, Guid? caseId, CancellationToken ct)
    {
        var (user, db) = (call.User, call.Db);
        var (registration, refusal) = await InScopeAsync(call.CandidateId, user, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var photo = registration!.PhotoObjectKey is { } key ? await call.Store.GetAsync(key, ct) : null;
        if (photo is null)
        {
            return Problems.NotFound("photo_not_found", "该考生尚无已通过检测的报名照片。", "The candidate has no checked ID photo yet.");
        }
        db.IdentityAccesses.Add(Access(registration, user, caseId, PhotoWhat, call.Clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        call.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(photo.Content, "image/jpeg");
    }

    private const int MaxLogRows = 1000;

    private static async Task<Results<Ok<List<IdentityAccessView>>, ProblemHttpResult>> Log(
        Guid? candidateId, string? actor, int? limit, RegistrationDbContext db, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLogRows)
        {
            return Problems.Invalid("limit", $"应为 1 至 {MaxLogRows}。", $"must be 1 to {MaxLogRows}");
        }
        var query = db.IdentityAccesses.AsNoTracking();
        if (candidateId is { } id)
        {
            query = query.Where(a => a.CandidateId == id);
        }
        if (!string.IsNullOrEmpty(actor))
        {
            query = query.Where(a => a.Actor == actor);
        }
        // Ids are time-ordered (v7): newest first without sorting on a provider-specific timestamp column.
        var rows = await query.OrderByDescending(a => a.Id).Take(limit ?? 100).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(a => new IdentityAccessView(a.Id, a.CandidateId, a.Actor, a.Role, a.Scope, a.CaseId, a.What, a.At)).ToList());
    }

    private static async Task<(CandidateRegistration? Registration, ProblemHttpResult? Refusal)> InScopeAsync(
        Guid candidateId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        // Outside the reviewer's scope answers exactly as missing (issue 15 item 3).
        var reviewer = user.IsInRole(Roles.SiteReviewer) || user.IsInRole(Roles.AreaReviewer);
        return registration is not null && reviewer && user.CanActFor(candidateId, registration.SiteCode, registration.AreaCode)
            ? (registration, null)
            : (null, Problems.NotFound("registration_not_found", $"考生 {candidateId} 没有报名信息。", $"No registration exists for candidate {candidateId}."));
    }

    /// <summary>The log row of one view; the caller adds it and commits before the data leaves.</summary>
    private static IdentityAccess Access(CandidateRegistration registration, ClaimsPrincipal user, Guid? caseId, string what, DateTimeOffset at)
    {
        var siteReviewer = user.IsInRole(Roles.SiteReviewer);
        return new IdentityAccess
        {
            Id = Guid.CreateVersion7(),
            CandidateId = registration.CandidateId,
            RegistrationId = registration.Id,
            Actor = user.Actor(),
            Role = siteReviewer ? Roles.SiteReviewer : Roles.AreaReviewer,
            Scope = siteReviewer ? $"site:{user.Site()}" : $"area:{user.Area()}",
            CaseId = caseId,
            What = what,
            At = at,
        };
    }
}
