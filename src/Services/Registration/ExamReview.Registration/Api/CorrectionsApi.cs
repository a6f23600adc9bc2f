using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

/// <summary>The fields to correct (only those given change) and why.</summary>
public sealed record CorrectionRequest(string? FullName, string? IdNumber, string? ExamCategory, string? MobileNumber, string? Reason);

/// <summary>One corrected field as the candidate sees it (the values are the candidate's own data).</summary>
public sealed record CorrectionView(string Field, string FieldName, string OldValue, string NewValue, string Reason, string CorrectedBy, DateTimeOffset CorrectedAt);

/// <summary>A checked correction as <see cref="CorrectionsApi.ApplyAsync"/> applies it: the fields' new values, why, by whom, when.</summary>
internal sealed record Correction(IReadOnlyDictionary<string, string> Values, string Reason, string Actor, DateTimeOffset At);

/// <summary>
/// Site staff correct registration data (seeds: "如果报名信息有问题，请考生及时联系考点考务工作人员进行信息修改"): a site reviewer
/// of the registration's site (or an area reviewer of its area) changes fields with a reason; each change is an
/// audit row, RegistrationCorrected goes out (a case returned for the data problem resumes on it), and the
/// candidate reads the corrections on their registration.
/// </summary>
public static class CorrectionsApi
{
    public const int MaxReason = 500;

    public static void MapCorrectionsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/{candidateId:guid}/corrections", Correct).RequireAuthorization(Policies.Reviewer).WithName("correctRegistration").WithSummary("更正范围内考生的报名信息（须填写原因，留痕）")
            .WithDescription("Corrects fields of a registration in the reviewer's scope, with a reason (audited).")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, CorrectionRefusals.ReviewFinishedCode, "registration_changed", IdNumberHolding.RegisteredCode).ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "nothing_to_correct");
        group.MapGet("/{candidateId:guid}/corrections", List).WithName("listCorrections").WithSummary("某考生报名信息的更正记录")
            .WithDescription("The corrections of a registration: for the candidate, staff in scope and operators.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope");
        group.MapGet("/me/corrections", Mine).RequireAuthorization(Policies.Candidate).WithName("listMyCorrections").WithSummary("工作人员对本人报名信息的更正记录")
            .WithDescription("The corrections staff made to the calling candidate's registration.");
    }

    public sealed record CorrectionCall(
        [FromRoute(Name = "candidateId")] Guid CandidateId,
        CorrectionRequest Request,
        ClaimsPrincipal User,
        RegistrationDbContext Db,
        TimeProvider Clock);

    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> Correct([AsParameters] CorrectionCall call, CancellationToken ct)
    {
        var (candidateId, request, user, db, clock) = call;
        var errors = Validate(request, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), out var values);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        // Outside the reviewer's site or area answers exactly as missing (issue 15 item 3).
        if (registration is null || !user.IsInRole(Roles.SiteReviewer) && !user.IsInRole(Roles.AreaReviewer) || !user.CanActFor(candidateId, registration.SiteCode, registration.AreaCode))
        {
            return NotFound(candidateId);
        }
        var refused = await ApplyAsync(registration, new Correction(values, request.Reason!.Trim(), user.Actor(), clock.GetUtcNow()), db,
            () => Problems.Conflict("registration_changed", "报名信息刚被修改，请刷新后重试。", "The registration was changed meanwhile; reload and try again."), ct);
        return refused is null ? TypedResults.Ok(RegistrationsApi.ToResponse(registration)) : refused;
    }

    internal static ProblemHttpResult NotFound(Guid candidateId) =>
        Problems.NotFound("registration_not_found", $"考生 {candidateId} 没有报名信息。", $"No registration exists for candidate {candidateId}.");

    /// <summary>The checks every correction passes, whoever sends it (site staff, a provincial system); fills the fields to change.</summary>
    internal static RequestErrors Validate(CorrectionRequest request, DateOnly today, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        AddIfGiven(values, CorrectableFields.FullName, request.FullName);
        AddIfGiven(values, CorrectableFields.IdNumber, request.IdNumber);
        AddIfGiven(values, CorrectableFields.ExamCategory, request.ExamCategory);
        AddIfGiven(values, CorrectableFields.MobileNumber, request.MobileNumber);
        var errors = new RequestErrors()
            .Require(values.Count > 0, "fields", "请至少给出一项要修改的报名信息（fullName、idNumber、examCategory、mobileNumber）",
                "give at least one field to correct (fullName, idNumber, examCategory, mobileNumber)")
            .Require(request.Reason is { } reason && reason.Trim().Length is >= 2 and <= MaxReason, "reason", $"修改原因必填（2 至 {MaxReason} 个字符）",
                $"is required (2 to {MaxReason} characters)");
        foreach (var (field, value) in values)
        {
            if (CorrectableFields.Problem(field, value, today) is { } problem)
            {
                errors.Require(false, field, problem.Zh, problem.En);
            }
        }
        return errors;
    }

    /// <summary>
    /// The one correction path: the registration decides (audit rows, refusals), RegistrationCorrected and what follows
    /// from the fields go out with it in one commit, and a new ID number moves the registration's claim on it
    /// (<see cref="IdNumberClaim"/>) in the same commit — with an audit row on each registration its old claim passes to
    /// (<see cref="ClaimHandedOn.Audit"/>). Null when committed; else the refusal, or
    /// <paramref name="changedMeanwhile"/> when another write won the race.
    /// </summary>
    internal static async Task<ProblemHttpResult?> ApplyAsync(
        CandidateRegistration registration, Correction correction, RegistrationDbContext db, Func<ProblemHttpResult> changedMeanwhile, CancellationToken ct)
    {
        var (values, reason, actor, now) = correction;
        var holder = values.TryGetValue(CorrectableFields.IdNumber, out var idNumber) ? await db.IdNumberHolderAsync(registration.ExamYear, idNumber, ct) : null;
        var (refusal, rows) = registration.Correct(values, reason, actor, now, holder);
        if (refusal != CorrectionRefusal.None)
        {
            var (code, zh, en) = refusal.Describe(registration);
            return refusal == CorrectionRefusal.NothingChanges ? Problems.Unprocessable(code, zh, en) : Problems.Conflict(code, zh, en);
        }
        db.Corrections.AddRange(rows);
        var fields = rows.Select(r => r.Field).ToList();
        if (fields.Contains(CorrectableFields.IdNumber))
        {
            foreach (var handedOn in await db.ClaimIdNumberAsync(registration, now, ct))
            {
                var taker = await db.Registrations.AsNoTracking().Where(r => r.Id == handedOn.Taken.RegistrationId).Select(r => r.CandidateId).SingleAsync(ct);
                db.Corrections.Add(handedOn.Audit(taker, reason, actor));
            }
        }
        db.Publish(new RegistrationCorrected(registration.CandidateId, registration.Id, registration.RegistrationNumber, registration.AreaCode,
            registration.SiteCode, registration.ExamCategory, fields, reason, actor, now)
        {
            FieldNamesZh = fields.Select(f => CorrectableFields.Labels.GetValueOrDefault(f, f)).ToList(),
            RegistrationVersion = registration.Version,
        });
        if (fields.Contains(CorrectableFields.ExamCategory))
        {
            db.Publish(registration.ProfileChanged());
        }
        if (fields.Contains(CorrectableFields.MobileNumber))
        {
            db.Publish(new CandidateContactChanged(registration.CandidateId, registration.AreaCode, registration.MobileNumber, registration.Version) { ChangedAt = now });
        }
        try
        {
            await db.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return changedMeanwhile();
        }
        catch (DbUpdateException ex) when (ex.IsLostRace())
        {
            // A key was taken first: the new number's claim, by another registration of the year between the check and
            // the commit — or this registration's own claim, by a correction racing this one.
            var taken = idNumber is null ? null
                : IdNumberHolding.Refuse(await db.IdNumberHolderAsync(registration.ExamYear, idNumber, CancellationToken.None), registration.Id);
            return taken is { } t ? Problems.Conflict(t.Code, t.Zh, t.En) : changedMeanwhile();
        }
        return null;
    }

    private static async Task<Results<Ok<List<CorrectionView>>, ProblemHttpResult>> List(Guid candidateId, ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct)
    {
        var registration = await db.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        return registration is not null && user.CanActFor(candidateId, registration.SiteCode, registration.AreaCode)
            ? TypedResults.Ok(await ViewsAsync(db, candidateId, forCandidate: user.IsInRole(Roles.Candidate), ct))
            : NotFound(candidateId);
    }

    private static async Task<Ok<List<CorrectionView>>> Mine(ClaimsPrincipal user, RegistrationDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ViewsAsync(db, user.CandidateId()!.Value, forCandidate: true, ct));

    /// <summary>
    /// The corrections of a candidate's registration, oldest first. A candidate does not see the claim hand-ons
    /// (<see cref="ClaimHandedOn"/>): not a change of their data, and the row names another person's registration.
    /// </summary>
    internal static async Task<List<CorrectionView>> ViewsAsync(RegistrationDbContext db, Guid candidateId, bool forCandidate, CancellationToken ct)
    {
        var rows = await db.Corrections.AsNoTracking().Where(c => c.CandidateId == candidateId && (!forCandidate || c.Field != ClaimHandedOn.Field)).ToListAsync(ct);
        return rows.OrderBy(r => r.CorrectedAt).ThenBy(r => r.Id)
            .Select(r => new CorrectionView(r.Field, FieldName(r.Field), Shown(r.Field, r.OldValue), Shown(r.Field, r.NewValue),
                r.Reason, r.CorrectedBy, r.CorrectedAt))
            .ToList();
    }

    private static string FieldName(string field) =>
        field == ClaimHandedOn.Field ? ClaimHandedOn.FieldName : CorrectableFields.Labels.GetValueOrDefault(field, field);

    // The full ID number is shown only by the logged identity view; the correction history shows it masked.
    private static string Shown(string field, string value) => field == CorrectableFields.IdNumber ? RegistrationsApi.Mask(value) : value;

    private static void AddIfGiven(Dictionary<string, string> values, string field, string? value)
    {
        if (value is not null)
        {
            values[field] = value;
        }
    }
}
