using System.Security.Claims;
using ExamReview.Contracts;
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

public static partial class ProfileApi
{
    public const int MaxTrialInstitutions = 10;

    public static void MapProfileApi(this RouteGroupBuilder group)
    {
        group.MapPut("/me/profile", UpdateProfile).RequireAuthorization(Policies.Candidate).WithName("updateMyProfile").WithSummary("更新本人的个人情况（决定需要哪些材料）")
            .WithDescription("Replaces the candidate's profile facts (which materials apply); MaterialStorage follows through CandidateProfileChanged.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "registration_not_found").ProducesProblemCodes(StatusCodes.Status409Conflict, "reviewed_as_is");
    }

    private static async Task<Results<Ok<RegistrationResponse>, ProblemHttpResult>> UpdateProfile(
        ProfileRequest request, ClaimsPrincipal user, RegistrationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new RequestErrors();
        Validate(request, errors, clock);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var candidateId = user.CandidateId()!.Value;
        var registration = await db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct);
        if (registration is null)
        {
            return Problems.NotFound("registration_not_found", "您还没有报名信息。", "You have no registration yet.");
        }
        if (registration.RefuseCandidateChange() is { } reviewed)
        {
            return Problems.Conflict(reviewed.Code, reviewed.DetailZh, reviewed.DetailEn);
        }
        Apply(registration, request);
        registration.ProfileVersion++;
        registration.Version++;
        registration.UpdatedAt = clock.GetUtcNow();
        db.Publish(ProfileChanged(registration));
        await db.CommitAsync(ct);
        return TypedResults.Ok(RegistrationsApi.ToResponse(registration));
    }

    public static void Validate(ProfileRequest request, RequestErrors errors, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var education = request.EducationLevel ?? "bachelor";
        var postgraduate = request.PostgraduateStatus ?? "none";
        errors
            .Require(ProfileValues.EducationLevels.Contains(education), "profile.educationLevel", OneOfZh(ProfileValues.EducationLevels), OneOfEn(ProfileValues.EducationLevels))
            .Require(ProfileValues.PostgraduateStatuses.Contains(postgraduate), "profile.postgraduateStatus", OneOfZh(ProfileValues.PostgraduateStatuses), OneOfEn(ProfileValues.PostgraduateStatuses))
            .Require(request.EmployerType is null || ProfileValues.EmployerTypes.Contains(request.EmployerType), "profile.employerType", OneOfZh(ProfileValues.EmployerTypes), OneOfEn(ProfileValues.EmployerTypes))
            .Require(request.Nationality is null || ProfileValues.Nationalities.Contains(request.Nationality), "profile.nationality", OneOfZh(ProfileValues.Nationalities), OneOfEn(ProfileValues.Nationalities))
            .Require(request.TrialInstitutionCount is null or (>= 1 and <= MaxTrialInstitutions), "profile.trialInstitutionCount",
                $"应为 1 到 {MaxTrialInstitutions}（每位考生至少有一个试用期机构）。", $"must be from 1 to {MaxTrialInstitutions} (every candidate has one trial-period institution at least)")
            .Require(request.QualificationRoute is null || ProfileValues.QualificationRoutes.Contains(request.QualificationRoute), "profile.qualificationRoute", OneOfZh(ProfileValues.QualificationRoutes), OneOfEn(ProfileValues.QualificationRoutes))
            .Require(request.PreviousExamArea is null || (request.RepeatCandidate == true && AreaCodePattern().IsMatch(request.PreviousExamArea)),
                "profile.previousExamArea", "仅非首次报考的考生填写：上次参加考试的考区代码。",
                "is only given for a repeat candidate: the code of the exam area (考区) of the earlier sitting")
            .Require(request.UpgradedFromCollege != true || request.UpgradeEntryDate is not null, "profile.upgradeEntryDate", "专升本考生必填（本科入学日期）。",
                "is required for 专升本 (the date of entry into the bachelor programme)")
            .Require(request.UpgradedFromCollege == true || request.UpgradeEntryDate is null, "profile.upgradeEntryDate", "仅专升本考生填写（upgradedFromCollege = true）。",
                "is only given for 专升本 (upgradedFromCollege = true)")
            .Require(request.UpgradeEntryDate is null || request.UpgradeEntryDate <= today, "profile.upgradeEntryDate", "不能晚于今天。", "must not be in the future")
            .Require(postgraduate == "none" || education is "master" or "doctorate", "profile.postgraduateStatus", "学历须为硕士或博士。", "needs educationLevel master or doctorate")
            .Require(postgraduate != "graduated" || request.PostgraduateEntryDate is not null, "profile.postgraduateEntryDate", "研究生已毕业的考生必填。", "is required for a graduated postgraduate")
            .Require(request.PostgraduateEntryDate is null || postgraduate != "none", "profile.postgraduateEntryDate", "仅研究生填写。", "is only given for postgraduates")
            .Require(request.PostgraduateEntryDate is null || request.PostgraduateEntryDate <= today, "profile.postgraduateEntryDate", "不能晚于今天。", "must not be in the future")
            .Require(request.RepeatCandidate != true || request.PreviousExamYear is not null, "profile.previousExamYear", "非首次报考的考生必填。", "is required for a repeat candidate (非首次报考)")
            .Require(request.PreviousExamYear is null || (request.RepeatCandidate == true && request.PreviousExamYear >= 1999 && request.PreviousExamYear <= today.Year),
                "profile.previousExamYear", "仅非首次报考的考生填写，且应为已经举行过的考试年度。",
                "is only given for a repeat candidate, and must be a past exam year");
    }

    private static string OneOfZh(IEnumerable<string> values) => $"必须是以下之一：{string.Join("、", values)}。";

    private static string OneOfEn(IEnumerable<string> values) => $"must be one of: {string.Join(", ", values)}";

    public static void Apply(CandidateRegistration registration, ProfileRequest request)
    {
        registration.EducationLevel = request.EducationLevel ?? "bachelor";
        registration.UpgradedFromCollege = request.UpgradedFromCollege ?? false;
        registration.UpgradeEntryDate = request.UpgradeEntryDate;
        registration.PostgraduateStatus = request.PostgraduateStatus ?? "none";
        registration.PostgraduateEntryDate = request.PostgraduateEntryDate;
        registration.RepeatCandidate = request.RepeatCandidate ?? false;
        registration.PreviousExamYear = request.PreviousExamYear;
        registration.EmployerType = request.EmployerType ?? "other";
        registration.HoldsAssistantLicence = request.HoldsAssistantLicence ?? false;
        registration.ForeignDegree = request.ForeignDegree ?? false;
        registration.Nationality = request.Nationality ?? "mainland";
        registration.TrialInstitutionCount = request.TrialInstitutionCount ?? 1;
        registration.PreviousExamArea = request.PreviousExamArea;
        registration.QualificationRoute = request.QualificationRoute ?? "education";
    }

    public static CandidateProfileChanged ProfileChanged(CandidateRegistration r) => new(
        r.CandidateId, r.ProfileVersion, r.ExamCategory, r.EducationLevel, r.UpgradedFromCollege, r.UpgradeEntryDate, r.PostgraduateStatus,
        r.PostgraduateEntryDate, r.RepeatCandidate, r.PreviousExamYear, r.EmployerType, r.HoldsAssistantLicence, r.ForeignDegree, r.Nationality,
        r.TrialInstitutionCount, r.PreviousExamArea, r.QualificationRoute);

    public static ProfileView ToView(CandidateRegistration r) => new(
        r.EducationLevel, r.UpgradedFromCollege, r.UpgradeEntryDate, r.PostgraduateStatus, r.PostgraduateEntryDate, r.RepeatCandidate,
        r.PreviousExamYear, r.EmployerType, r.HoldsAssistantLicence, r.ForeignDegree, r.Nationality, r.TrialInstitutionCount, r.PreviousExamArea, r.QualificationRoute, r.ProfileVersion);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9]{2,16}$")]
    private static partial System.Text.RegularExpressions.Regex AreaCodePattern();
}
