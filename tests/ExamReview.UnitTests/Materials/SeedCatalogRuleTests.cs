using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// The seed catalogs (seeds/004) evaluated by the rule interpreter, one test per situation the seed lists, for
/// the national default ("*", e.g. Sichuan or Beijing) and for Hunan (43), whose notice adds the 2017–2020
/// repeat-candidate reduced set. Situations the seed gives for every area are checked in both catalogs.
/// </summary>
public sealed class SeedCatalogRuleTests
{
    public const string National = "*";
    public const string Hunan = "43";

    public static readonly TheoryData<string> Areas = new(National, Hunan);

    private static readonly Dictionary<string, MaterialCatalog> Catalogs = new()
    {
        [National] = Load(National),
        [Hunan] = Load(Hunan),
    };

    private static MaterialCatalog Load(string area)
    {
        var (catalog, errors) = CatalogParser.Parse(CatalogStore.SeedDocument(area));
        Assert.True(catalog is not null, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}")));
        return catalog!;
    }

    private static Dictionary<string, MaterialRequirement> Evaluate(string area, CandidateProfile profile) =>
        Catalogs[area].Evaluate(profile).ToDictionary(r => r.Type.Code);

    private static string[] Required(string area, CandidateProfile profile) =>
        Catalogs[area].Evaluate(profile).Where(r => r.Requirement == Requirement.Required).Select(r => r.Type.Code).ToArray();

    private static Requirement Of(string area, CandidateProfile profile, string code) => Evaluate(area, profile)[code].Requirement;

    /// <summary>A Hunan repeat candidate who sat there in 2017–2020, with facts that would otherwise add materials.</summary>
    private static readonly CandidateProfile HunanRepeat2018 = new()
    {
        RepeatCandidate = true,
        PreviousExamYear = 2018,
        PreviousExamArea = Hunan,
        UpgradedFromCollege = true,
        UpgradeEntryDate = new DateOnly(2016, 9, 1),
        Nationality = "foreign",
    };

    [Theory]
    [MemberData(nameof(Areas))]
    public void Every_candidate_needs_id_licence_copy_trial_certificate_graduation_certificate_and_registration_notice(string area)
    {
        var plain = new CandidateProfile();
        Assert.Equal(["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"], Required(area, plain));
        var result = Evaluate(area, plain);
        Assert.Equal((3, 3), (result["id-card"].MinCount, result["id-card"].MaxCount));
        Assert.Equal(1, result["trial-period-certificate"].MinCount);
        Assert.Equal(1, result["institution-licence"].MinCount);
        Assert.Equal(Requirement.NotApplicable, result["college-diploma"].Requirement);
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void A_profile_declaring_no_institution_still_needs_one_trial_certificate(string area)
    {
        // Copies written before every candidate had to declare one institution read 0.
        var result = Evaluate(area, new CandidateProfile { TrialInstitutionCount = 0 });
        Assert.Equal((Requirement.Required, 1), (result["trial-period-certificate"].Requirement, result["trial-period-certificate"].MinCount));
        Assert.Equal(Requirement.Required, result["institution-licence"].Requirement);
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void A_trial_period_at_several_institutions_needs_one_certificate_and_one_licence_copy_per_institution(string area)
    {
        var result = Evaluate(area, new CandidateProfile { TrialInstitutionCount = 3 });
        Assert.Equal((Requirement.Required, 3, 5), (result["trial-period-certificate"].Requirement, result["trial-period-certificate"].MinCount, result["trial-period-certificate"].MaxCount));
        Assert.Equal(3, result["institution-licence"].MinCount);
    }

    [Theory]
    [InlineData(National, "grade-3a-hospital")]
    [InlineData(National, "cdc")]
    [InlineData(Hunan, "grade-3a-hospital")]
    [InlineData(Hunan, "cdc")]
    public void Candidates_at_a_grade_3a_hospital_or_a_cdc_need_no_licence_copy_but_still_the_trial_certificate(string area, string employer)
    {
        var profile = new CandidateProfile { EmployerType = employer };
        Assert.Equal(Requirement.NotApplicable, Of(area, profile, "institution-licence"));
        Assert.Equal(Requirement.Required, Of(area, profile, "trial-period-certificate"));
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void Upgraded_to_bachelor_on_or_after_2015_09_01_needs_the_college_diploma_and_before_does_not(string area)
    {
        Assert.Equal(Requirement.Required, Of(area, new CandidateProfile { UpgradedFromCollege = true, UpgradeEntryDate = new DateOnly(2015, 9, 1) }, "college-diploma"));
        Assert.Equal(Requirement.Required, Of(area, new CandidateProfile { UpgradedFromCollege = true, UpgradeEntryDate = new DateOnly(2018, 3, 1) }, "college-diploma"));
        Assert.Equal(Requirement.NotApplicable, Of(area, new CandidateProfile { UpgradedFromCollege = true, UpgradeEntryDate = new DateOnly(2015, 8, 31) }, "college-diploma"));
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void A_college_graduate_holding_the_assistant_licence_sitting_the_practitioner_exam_needs_both_assistant_certificates(string area)
    {
        var profile = new CandidateProfile { EducationLevel = "college", HoldsAssistantLicence = true, ExamCategory = "practitioner-clinical" };
        Assert.Equal(Requirement.Required, Of(area, profile, "assistant-qualification-certificate"));
        Assert.Equal(Requirement.Required, Of(area, profile, "assistant-practice-certificate"));
        Assert.Equal(Requirement.NotApplicable, Of(area, profile with { ExamCategory = "assistant-clinical" }, "assistant-qualification-certificate"));
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void A_postgraduate_sitting_in_the_graduation_year_needs_student_card_clinical_practice_proof_and_commitment(string area)
    {
        var required = Required(area, new CandidateProfile { EducationLevel = "master", PostgraduateStatus = "graduating-this-year" });
        Assert.Contains("student-card", required);
        Assert.Contains("clinical-practice-proof", required);
        Assert.Contains("personal-commitment", required);
        Assert.DoesNotContain("degree-certificate", required);
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void A_graduated_postgraduate_needs_the_degree_certificate_only_with_entry_on_or_after_2015_01_01(string area)
    {
        var profile = new CandidateProfile { EducationLevel = "master", PostgraduateStatus = "graduated", PostgraduateEntryDate = new DateOnly(2015, 1, 1) };
        Assert.Equal(Requirement.Required, Of(area, profile, "degree-certificate"));
        Assert.Equal(Requirement.NotApplicable, Of(area, profile, "student-card"));
        Assert.Equal(Requirement.NotApplicable, Of(area, profile with { PostgraduateEntryDate = new DateOnly(2014, 9, 1) }, "degree-certificate"));
    }

    [Fact]
    public void A_Hunan_repeat_candidate_of_2017_to_2020_uploads_only_the_reduced_set()
    {
        Assert.Equal(["id-card", "trial-period-certificate", "registration-notice", "previous-admission-ticket"], Required(Hunan, HunanRepeat2018));
        Assert.Equal(Requirement.NotApplicable, Of(Hunan, HunanRepeat2018, "graduation-certificate"));
        Assert.Equal(Requirement.NotApplicable, Of(Hunan, HunanRepeat2018, "institution-licence"));
    }

    [Theory]
    [InlineData(2016, Hunan)]
    [InlineData(2021, Hunan)]
    [InlineData(2018, "44")] // sat in Guangdong: Hunan's notice is about its own candidates
    [InlineData(2018, null)]
    public void A_repeat_candidate_outside_Hunans_2017_to_2020_sittings_uploads_the_full_set_in_Hunan(int year, string? previousArea)
    {
        var profile = new CandidateProfile { RepeatCandidate = true, PreviousExamYear = year, PreviousExamArea = previousArea };
        Assert.Equal(["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"], Required(Hunan, profile));
        Assert.Equal(Requirement.NotApplicable, Of(Hunan, profile, "previous-admission-ticket"));
    }

    [Fact]
    public void The_reduced_set_is_Hunans_rule_so_the_national_catalog_has_no_such_set()
    {
        Assert.Equal(["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"], Required(National, HunanRepeat2018 with { Nationality = "mainland", UpgradedFromCollege = false, UpgradeEntryDate = null }));
        Assert.Null(Catalogs[National].Find("previous-admission-ticket"));
        Assert.False(Catalogs[National].Conditions.ContainsKey("reducedRepeatSet"));
    }

    [Theory]
    [InlineData(National, "chinese-medicine-mentorship")]
    [InlineData(National, "chinese-medicine-expertise")]
    [InlineData(Hunan, "chinese-medicine-mentorship")]
    [InlineData(Hunan, "chinese-medicine-expertise")]
    public void Mentorship_and_expertise_candidates_need_their_certificate(string area, string category)
    {
        var profile = new CandidateProfile { ExamCategory = category };
        Assert.Equal(Requirement.Required, Of(area, profile, "mentorship-certificate"));
        Assert.Equal(Requirement.NotApplicable, Of(area, profile, "assistant-qualification-certificate"));
    }

    [Theory]
    [InlineData(National, "mentorship")]
    [InlineData(National, "expertise")]
    [InlineData(Hunan, "mentorship")]
    [InlineData(Hunan, "expertise")]
    public void Mentorship_or_expertise_candidates_sitting_the_practitioner_exam_also_need_both_assistant_certificates(string area, string route)
    {
        var profile = new CandidateProfile { ExamCategory = "practitioner-chinese-medicine", QualificationRoute = route, HoldsAssistantLicence = true };
        Assert.Equal(Requirement.Required, Of(area, profile, "mentorship-certificate"));
        Assert.Equal(Requirement.Required, Of(area, profile, "assistant-qualification-certificate"));
        Assert.Equal(Requirement.Required, Of(area, profile, "assistant-practice-certificate"));
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void A_foreign_medical_degree_needs_the_degree_verification_report(string area)
    {
        Assert.Equal(Requirement.Required, Of(area, new CandidateProfile { ForeignDegree = true }, "foreign-degree-verification"));
        Assert.Equal(Requirement.NotApplicable, Of(area, new CandidateProfile(), "foreign-degree-verification"));
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void Foreigners_and_Hong_Kong_Macao_Taiwan_residents_need_their_own_internship_approval_form(string area)
    {
        Assert.Equal(Requirement.Required, Of(area, new CandidateProfile { Nationality = "foreign" }, "foreigner-internship-approval"));
        Assert.Equal(Requirement.NotApplicable, Of(area, new CandidateProfile { Nationality = "foreign" }, "hmt-internship-approval"));
        Assert.Equal(Requirement.Required, Of(area, new CandidateProfile { Nationality = "hong-kong-macao-taiwan" }, "hmt-internship-approval"));
        Assert.Equal(Requirement.NotApplicable, Of(area, new CandidateProfile { Nationality = "hong-kong-macao-taiwan" }, "foreigner-internship-approval"));
    }

    /// <summary>The situations of seeds/004 as profiles; each catalog's every material is required by one of them.</summary>
    public static IEnumerable<CandidateProfile> SeedSituations()
    {
        yield return new CandidateProfile();
        yield return new CandidateProfile { UpgradedFromCollege = true, UpgradeEntryDate = new DateOnly(2016, 9, 1) };
        yield return new CandidateProfile { EducationLevel = "college", HoldsAssistantLicence = true };
        yield return new CandidateProfile { EducationLevel = "master", PostgraduateStatus = "graduating-this-year" };
        yield return new CandidateProfile { EducationLevel = "master", PostgraduateStatus = "graduated", PostgraduateEntryDate = new DateOnly(2016, 9, 1) };
        yield return HunanRepeat2018;
        yield return new CandidateProfile { ExamCategory = "practitioner-chinese-medicine", QualificationRoute = "mentorship" };
        yield return new CandidateProfile { ForeignDegree = true };
        yield return new CandidateProfile { Nationality = "foreign" };
        yield return new CandidateProfile { Nationality = "hong-kong-macao-taiwan" };
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public void Every_material_of_the_catalog_is_required_in_some_seeds_situation(string area)
    {
        var reachable = SeedSituations().SelectMany(p => Required(area, p)).ToHashSet();
        var unreachable = Catalogs[area].Types.Select(t => t.Code).Except(reachable).ToList();
        Assert.True(unreachable.Count == 0, "no seeds situation requires: " + string.Join(", ", unreachable));
    }

    [Fact]
    public void Hunans_catalog_is_the_national_one_plus_the_reduced_set()
    {
        Assert.Equal(Catalogs[National].Types.Select(t => t.Code).Append("previous-admission-ticket").Order(), Catalogs[Hunan].Types.Select(t => t.Code).Order());
        foreach (var profile in SeedSituations().Where(p => !p.RepeatCandidate))
        {
            Assert.Equal(Required(National, profile), Required(Hunan, profile));
        }
    }
}
