using ExamReview.Contracts;
using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// The candidate's own rules over the registration, without a database: which fields a new registration and a profile
/// need and in what order they are named, where one may register, what opening one publishes, and when the profile may change.
/// </summary>
public sealed class CandidateRegistrationRuleTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private static RegistrationDraft Draft(CandidateProfile? profile = null) =>
        new(" 张三 ", "43010119900101124x", "13800000000", 2027, "43", "4301", "practitioner-clinical", profile ?? CandidateProfile.Plain);

    [Fact]
    public void A_complete_draft_with_the_plain_profile_has_no_problems()
    {
        Assert.Empty(Draft().Problems(Today));
    }

    [Fact]
    public void The_registrations_fields_are_named_in_form_order_before_the_profiles()
    {
        var draft = new RegistrationDraft(" ", "123", "23800000000", 1999, "", null, "surgeon", CandidateProfile.Plain with { TrialInstitutionCount = 0 });

        Assert.Equal(["fullName", "idNumber", "mobileNumber", "examYear", "areaCode", "siteCode", "examCategory", "profile.trialInstitutionCount"],
            draft.Problems(Today).Select(p => p.Field));
    }

    [Fact]
    public void Profile_facts_must_agree_with_each_other_and_lie_in_the_past()
    {
        var profile = CandidateProfile.Plain with
        {
            UpgradeEntryDate = Today.AddDays(1),
            PostgraduateStatus = "graduated",
            RepeatCandidate = true,
            PreviousExamArea = "4",
        };

        var problems = profile.Problems(Today);

        Assert.Equal(
            [
                ("profile.previousExamArea", "is only given for a repeat candidate: the code of the exam area (考区) of the earlier sitting"),
                ("profile.upgradeEntryDate", "is only given for 专升本 (upgradedFromCollege = true)"),
                ("profile.upgradeEntryDate", "must not be in the future"),
                ("profile.postgraduateStatus", "needs educationLevel master or doctorate"),
                ("profile.postgraduateEntryDate", "is required for a graduated postgraduate"),
                ("profile.previousExamYear", "is required for a repeat candidate (非首次报考)"),
            ],
            problems.Select(p => (p.Field, p.En)));
    }

    [Fact]
    public void A_consistent_repeat_postgraduate_profile_is_accepted()
    {
        var profile = CandidateProfile.Plain with
        {
            EducationLevel = "master",
            PostgraduateStatus = "graduated",
            PostgraduateEntryDate = Today.AddYears(-3),
            RepeatCandidate = true,
            PreviousExamYear = 2026,
            PreviousExamArea = "43",
            UpgradedFromCollege = true,
            UpgradeEntryDate = Today.AddYears(-6),
        };

        Assert.Empty(profile.Problems(Today));
        Assert.Equal(["profile.previousExamYear"], (profile with { PreviousExamYear = Today.Year + 1 }).Problems(Today).Select(p => p.Field));
    }

    [Fact]
    public void The_place_is_checked_year_then_area_then_the_sites_area()
    {
        var draft = Draft();
        var otherAreasSite = new ExamSite { Code = "4301", AreaCode = "44", Name = "广州" };

        Assert.Equal("unknown_exam_year", draft.RefusePlace(false, false, null)!.Value.Code);
        Assert.Equal("unknown_area", draft.RefusePlace(true, false, null)!.Value.Code);
        Assert.Equal("unknown_site", draft.RefusePlace(true, true, otherAreasSite)!.Value.Code);
        Assert.Equal("unknown_site", draft.RefusePlace(true, true, null)!.Value.Code);
        Assert.Null(draft.RefusePlace(true, true, new ExamSite { Code = "4301", AreaCode = "43", Name = "长沙" }));
    }

    [Fact]
    public void Opening_tidies_name_and_id_number_keeps_the_profile_and_publishes_registered_contact_and_profile()
    {
        var candidateId = Guid.NewGuid();
        var profile = CandidateProfile.Plain with { Nationality = "foreign", TrialInstitutionCount = 3 };

        var registration = CandidateRegistration.Open(candidateId, Draft(profile), "2027430000000001", Now);

        Assert.Equal(("张三", "43010119900101124X", CandidateStatus.Filling, 0, 0), (registration.FullName, registration.IdNumber, registration.Status, registration.ProfileVersion, registration.Version));
        Assert.Equal((Now, Now), (registration.CreatedAt, registration.UpdatedAt));
        Assert.Equal(("foreign", 3), (registration.Nationality, registration.TrialInstitutionCount));
        var messages = registration.Opened();
        Assert.Equal([typeof(CandidateRegistered), typeof(CandidateContactChanged), typeof(CandidateProfileChanged)], messages.Select(m => m.GetType()));
        Assert.Equal(new CandidateRegistered(candidateId, registration.Id, "2027430000000001", 2027, "43", "4301", "practitioner-clinical"), messages[0]);
        Assert.Equal(new CandidateContactChanged(candidateId, "43", "13800000000", 0), messages[1]);
        Assert.Equal("foreign", ((CandidateProfileChanged)messages[2]).Nationality);
    }

    [Fact]
    public void An_unchecked_draft_is_never_opened()
    {
        Assert.Throws<InvalidOperationException>(() => CandidateRegistration.Open(Guid.NewGuid(), Draft() with { SiteCode = null }, "2027430000000001", Now));
    }

    [Theory]
    [InlineData(CandidateStatus.Filling)]
    [InlineData(CandidateStatus.Returned)]
    public void Before_the_site_passes_it_and_after_a_return_the_profile_changes_as_a_new_version(CandidateStatus status)
    {
        var registration = TestRegistrations.New("430101199001011234");
        registration.Status = status;
        registration.ProfileVersion = 2;
        registration.Version = 5;

        Assert.Null(registration.ChangeProfile(CandidateProfile.Plain with { EducationLevel = "doctorate", ForeignDegree = true }, Now));

        Assert.Equal(("doctorate", true), (registration.EducationLevel, registration.ForeignDegree));
        Assert.Equal((3, 6, Now), (registration.ProfileVersion, registration.Version, registration.UpdatedAt));
        var changed = registration.ProfileChanged();
        Assert.Equal((3, "doctorate", true), (changed.ProfileVersion, changed.EducationLevel, changed.ForeignDegree));
    }

    [Theory]
    [InlineData(CandidateStatus.SiteApproved)]
    [InlineData(CandidateStatus.Approved)]
    [InlineData(CandidateStatus.Rejected)]
    public void Once_reviewed_as_is_the_profile_is_refused_and_nothing_changes(CandidateStatus status)
    {
        var registration = TestRegistrations.New("430101199001011234");
        registration.Status = status;
        registration.ProfileVersion = 2;
        registration.Version = 5;
        registration.UpdatedAt = Now.AddDays(-1);

        var refusal = registration.ChangeProfile(CandidateProfile.Plain with { EducationLevel = "doctorate" }, Now);

        Assert.Equal("reviewed_as_is", refusal!.Value.Code);
        Assert.Equal(("bachelor", 2, 5, Now.AddDays(-1)), (registration.EducationLevel, registration.ProfileVersion, registration.Version, registration.UpdatedAt));
    }
}
