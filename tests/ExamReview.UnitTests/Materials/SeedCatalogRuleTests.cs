using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>The seed catalog (seeds/004) evaluated by the rule interpreter: one test per situation the seed lists.</summary>
public sealed class SeedCatalogRuleTests
{
    private static readonly MaterialCatalog Seed = LoadSeed();

    private static MaterialCatalog LoadSeed()
    {
        var (catalog, errors) = CatalogParser.Parse(CatalogStore.SeedDocument());
        Assert.True(catalog is not null, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}")));
        return catalog!;
    }

    private static Dictionary<string, MaterialRequirement> Evaluate(CandidateProfile profile) =>
        Seed.Evaluate(profile).ToDictionary(r => r.Type.Code);

    private static string[] Required(CandidateProfile profile) =>
        Seed.Evaluate(profile).Where(r => r.Requirement == Requirement.Required).Select(r => r.Type.Code).ToArray();

    private static Requirement Of(CandidateProfile profile, string code) => Evaluate(profile)[code].Requirement;

    [Fact]
    public void The_plain_candidate_needs_three_id_images_the_graduation_certificate_and_the_registration_notice()
    {
        var result = Evaluate(new CandidateProfile());
        Assert.Equal(["id-card", "graduation-certificate", "registration-notice"], Required(new CandidateProfile()));
        Assert.Equal(3, result["id-card"].MinCount);
        Assert.Equal(3, result["id-card"].MaxCount);
        Assert.Equal(Requirement.Required, result["registration-notice"].Requirement); // seeds/004: 各类别均需上传
        Assert.Equal(Requirement.NotApplicable, result["college-diploma"].Requirement);
    }

    [Fact]
    public void Every_category_needs_the_licence_and_trial_certificate_of_its_trial_institution()
    {
        var result = Evaluate(new CandidateProfile { TrialInstitutionCount = 1 });
        Assert.Equal(["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"], Required(new CandidateProfile { TrialInstitutionCount = 1 }));
        Assert.Equal(1, result["trial-period-certificate"].MinCount);
    }

    [Fact]
    public void A_trial_period_at_several_institutions_needs_one_certificate_per_institution()
    {
        var result = Evaluate(new CandidateProfile { TrialInstitutionCount = 3 });
        Assert.Equal(Requirement.Required, result["trial-period-certificate"].Requirement);
        Assert.Equal(3, result["trial-period-certificate"].MinCount);
        Assert.Equal(5, result["trial-period-certificate"].MaxCount);
    }

    [Theory]
    [InlineData("grade-3a-hospital")]
    [InlineData("cdc")]
    public void Candidates_at_a_grade_3a_hospital_or_a_cdc_need_no_institution_licence(string employer)
    {
        var profile = new CandidateProfile { TrialInstitutionCount = 1, EmployerType = employer };
        Assert.Equal(Requirement.NotApplicable, Of(profile, "institution-licence"));
        Assert.Equal(Requirement.Required, Of(profile, "trial-period-certificate"));
    }

    [Fact]
    public void Upgraded_to_bachelor_on_or_after_2015_09_01_needs_the_college_diploma()
    {
        Assert.Equal(Requirement.Required, Of(new CandidateProfile { UpgradedFromCollege = true, UpgradeEntryDate = new DateOnly(2015, 9, 1) }, "college-diploma"));
        Assert.Equal(Requirement.Required, Of(new CandidateProfile { UpgradedFromCollege = true, UpgradeEntryDate = new DateOnly(2018, 3, 1) }, "college-diploma"));
    }

    [Fact]
    public void Upgraded_to_bachelor_before_2015_09_01_needs_no_college_diploma()
    {
        Assert.Equal(Requirement.NotApplicable, Of(new CandidateProfile { UpgradedFromCollege = true, UpgradeEntryDate = new DateOnly(2015, 8, 31) }, "college-diploma"));
    }

    [Fact]
    public void A_college_graduate_holding_the_assistant_licence_sitting_the_practitioner_exam_needs_both_assistant_certificates()
    {
        var profile = new CandidateProfile { EducationLevel = "college", HoldsAssistantLicence = true, ExamCategory = "practitioner-clinical" };
        Assert.Equal(Requirement.Required, Of(profile, "assistant-qualification-certificate"));
        Assert.Equal(Requirement.Required, Of(profile, "assistant-practice-certificate"));
        var assistantExam = profile with { ExamCategory = "assistant-clinical" };
        Assert.Equal(Requirement.NotApplicable, Of(assistantExam, "assistant-qualification-certificate"));
    }

    [Fact]
    public void A_postgraduate_sitting_in_the_graduation_year_needs_student_card_clinical_practice_proof_and_commitment()
    {
        var profile = new CandidateProfile { EducationLevel = "master", PostgraduateStatus = "graduating-this-year" };
        var required = Required(profile);
        Assert.Contains("student-card", required);
        Assert.Contains("clinical-practice-proof", required);
        Assert.Contains("personal-commitment", required);
        Assert.DoesNotContain("degree-certificate", required);
    }

    [Fact]
    public void A_graduated_postgraduate_who_entered_on_or_after_2015_01_01_needs_the_degree_certificate()
    {
        var profile = new CandidateProfile { EducationLevel = "master", PostgraduateStatus = "graduated", PostgraduateEntryDate = new DateOnly(2015, 1, 1) };
        Assert.Equal(Requirement.Required, Of(profile, "degree-certificate"));
        Assert.Equal(Requirement.NotApplicable, Of(profile, "student-card"));
    }

    [Fact]
    public void A_graduated_postgraduate_who_entered_before_2015_needs_no_degree_certificate()
    {
        var profile = new CandidateProfile { EducationLevel = "doctorate", PostgraduateStatus = "graduated", PostgraduateEntryDate = new DateOnly(2014, 9, 1) };
        Assert.Equal(Requirement.NotApplicable, Of(profile, "degree-certificate"));
    }

    [Fact]
    public void A_repeat_candidate_of_2017_to_2020_uploads_only_the_reduced_set()
    {
        var profile = new CandidateProfile
        {
            RepeatCandidate = true,
            PreviousExamYear = 2018,
            TrialInstitutionCount = 1,
            UpgradedFromCollege = true,
            UpgradeEntryDate = new DateOnly(2016, 9, 1),
            Nationality = "foreign",
        };
        Assert.Equal(["id-card", "trial-period-certificate", "registration-notice", "previous-admission-ticket"], Required(profile));
        Assert.Equal(Requirement.NotApplicable, Of(profile, "graduation-certificate"));
        Assert.Equal(Requirement.NotApplicable, Of(profile, "institution-licence"));
    }

    [Fact]
    public void A_repeat_candidate_from_outside_2017_to_2020_uploads_the_full_set()
    {
        var profile = new CandidateProfile { RepeatCandidate = true, PreviousExamYear = 2022 };
        Assert.Equal(Requirement.Required, Of(profile, "graduation-certificate"));
        Assert.Equal(Requirement.NotApplicable, Of(profile, "previous-admission-ticket"));
    }

    [Theory]
    [InlineData("chinese-medicine-mentorship")]
    [InlineData("chinese-medicine-expertise")]
    public void Mentorship_and_expertise_candidates_need_their_certificate(string category)
    {
        var profile = new CandidateProfile { ExamCategory = category };
        Assert.Equal(Requirement.Required, Of(profile, "mentorship-certificate"));
        Assert.Equal(Requirement.NotApplicable, Of(profile, "assistant-qualification-certificate"));
    }

    [Fact]
    public void Mentorship_candidates_sitting_the_practitioner_level_also_need_the_assistant_certificates()
    {
        var profile = new CandidateProfile { ExamCategory = "chinese-medicine-mentorship", HoldsAssistantLicence = true };
        Assert.Equal(Requirement.Required, Of(profile, "mentorship-certificate"));
        Assert.Equal(Requirement.Required, Of(profile, "assistant-qualification-certificate"));
        Assert.Equal(Requirement.Required, Of(profile, "assistant-practice-certificate"));
    }

    [Fact]
    public void A_foreign_medical_degree_needs_the_degree_verification_report()
    {
        Assert.Equal(Requirement.Required, Of(new CandidateProfile { ForeignDegree = true }, "foreign-degree-verification"));
        Assert.Equal(Requirement.NotApplicable, Of(new CandidateProfile(), "foreign-degree-verification"));
    }

    [Fact]
    public void Foreigners_need_the_internship_approval_form_for_foreigners()
    {
        var profile = new CandidateProfile { Nationality = "foreign" };
        Assert.Equal(Requirement.Required, Of(profile, "foreigner-internship-approval"));
        Assert.Equal(Requirement.NotApplicable, Of(profile, "hmt-internship-approval"));
    }

    [Fact]
    public void Hong_Kong_Macao_and_Taiwan_residents_need_their_internship_approval_form()
    {
        var profile = new CandidateProfile { Nationality = "hong-kong-macao-taiwan" };
        Assert.Equal(Requirement.Required, Of(profile, "hmt-internship-approval"));
        Assert.Equal(Requirement.NotApplicable, Of(profile, "foreigner-internship-approval"));
    }
}
