using System.Security.Claims;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Api;

/// <summary>
/// The candidate's situation (seeds/004) as facts. Omitted fields take the plain case: a first-time,
/// mainland bachelor graduate qualifying by education, with one trial-period institution (everyone has one at least).
/// </summary>
public sealed record ProfileRequest(
    string? EducationLevel = null,
    bool? UpgradedFromCollege = null,
    DateOnly? UpgradeEntryDate = null,
    string? PostgraduateStatus = null,
    DateOnly? PostgraduateEntryDate = null,
    bool? RepeatCandidate = null,
    int? PreviousExamYear = null,
    string? EmployerType = null,
    bool? HoldsAssistantLicence = null,
    bool? ForeignDegree = null,
    string? Nationality = null,
    int? TrialInstitutionCount = null,
    string? PreviousExamArea = null,
    string? QualificationRoute = null);

public sealed record ProfileView(
    string EducationLevel,
    bool UpgradedFromCollege,
    DateOnly? UpgradeEntryDate,
    string PostgraduateStatus,
    DateOnly? PostgraduateEntryDate,
    bool RepeatCandidate,
    int? PreviousExamYear,
    string EmployerType,
    bool HoldsAssistantLicence,
    bool ForeignDegree,
    string Nationality,
    int TrialInstitutionCount,
    string? PreviousExamArea,
    string QualificationRoute,
    int ProfileVersion);

/// <summary>The candidate's profile facts: which facts may be given and when they may change are <see cref="CandidateProfile"/>'s and <see cref="CandidateRegistration"/>'s rules.</summary>
public static class ProfileApi
{
    public static void MapProfileApi(this RouteGroupBuilder group)
    {
        group.MapPut("/me/profile", UpdateProfile).RequireAuthorization(Policies.Candidate).WithName("updateMyProfile").WithSummary("更新本人的个人情况（决定需要哪些材料）")
            .WithDescription("Replaces the candidate's profile facts (which materials apply); MaterialStorage follows through CandidateProfileChanged.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found").ProducesProblemCodes(StatusCodes.Status409Conflict, "reviewed_as_is");
    }

    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> UpdateProfile(
        ProfileRequest request, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var profile = request.Facts();
        if (profile.Problems(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) is { Count: > 0 } problems)
        {
            return RegistrationsApi.Invalid(problems);
        }
        var candidateId = user.CandidateId()!.Value;
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        if (registration is null)
        {
            return Problems.NotFound("registration_not_found", "您还没有报名信息。", "You have no registration yet.");
        }
        if (registration.ChangeProfile(profile, clock.GetUtcNow()) is { } reviewed)
        {
            return Problems.Conflict(reviewed.Code, reviewed.DetailZh, reviewed.DetailEn);
        }
        db.Publish(registration.ProfileChanged());
        await db.CommitAsync(ct);
        return TypedResults.Ok(RegistrationsApi.ToResponse(registration));
    }

    /// <summary>The facts asked for: what the candidate leaves out is the plain case's.</summary>
    public static CandidateProfile Facts(this ProfileRequest? request)
    {
        var plain = CandidateProfile.Plain;
        return request is null ? plain : new(
            request.EducationLevel ?? plain.EducationLevel,
            request.UpgradedFromCollege ?? plain.UpgradedFromCollege,
            request.UpgradeEntryDate,
            request.PostgraduateStatus ?? plain.PostgraduateStatus,
            request.PostgraduateEntryDate,
            request.RepeatCandidate ?? plain.RepeatCandidate,
            request.PreviousExamYear,
            request.EmployerType ?? plain.EmployerType,
            request.HoldsAssistantLicence ?? plain.HoldsAssistantLicence,
            request.ForeignDegree ?? plain.ForeignDegree,
            request.Nationality ?? plain.Nationality,
            request.TrialInstitutionCount ?? plain.TrialInstitutionCount,
            request.PreviousExamArea,
            request.QualificationRoute ?? plain.QualificationRoute);
    }

    public static ProfileView ToView(CandidateRegistration r) => new(
        r.EducationLevel, r.UpgradedFromCollege, r.UpgradeEntryDate, r.PostgraduateStatus, r.PostgraduateEntryDate, r.RepeatCandidate,
        r.PreviousExamYear, r.EmployerType, r.HoldsAssistantLicence, r.ForeignDegree, r.Nationality, r.TrialInstitutionCount, r.PreviousExamArea, r.QualificationRoute, r.ProfileVersion);
}
