using ExamReview.Registration.Domain;
using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Registration;

/// <summary>Staff corrections (one audit row per changed field, none after the review) and the case they let resume.</summary>
public sealed class CorrectionRuleTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 12, 3, 0, 0, TimeSpan.Zero);

    private static CandidateRegistration Registration() => new()
    {
        Id = Guid.NewGuid(),
        CandidateId = Guid.NewGuid(),
        RegistrationNumber = "2027430000000001",
        AreaCode = "43",
        SiteCode = "4301",
        ExamCategory = "practitioner-clinical",
        FullName = "张三",
        IdNumber = "43010119900101124X",
        MobileNumber = "13800000000",
    };

    [Fact]
    public void Each_changed_field_is_one_audit_row_and_unchanged_ones_none()
    {
        var registration = Registration();
        var (refusal, rows) = registration.Correct(new Dictionary<string, string>
        {
            [CorrectableFields.FullName] = " 张叁 ",
            [CorrectableFields.IdNumber] = "43010119900101124x", // the same number, lower-case X
            [CorrectableFields.ExamCategory] = "practitioner-dental",
        }, "核对身份证", "site-4301", Now);
        Assert.Equal(CorrectionRefusal.None, refusal);
        Assert.Equal([(CorrectableFields.FullName, "张三", "张叁"), (CorrectableFields.ExamCategory, "practitioner-clinical", "practitioner-dental")],
            rows.Select(r => (r.Field, r.OldValue, r.NewValue)));
        Assert.All(rows, r => Assert.Equal(("核对身份证", "site-4301", Now), (r.Reason, r.CorrectedBy, r.CorrectedAt)));
        Assert.Equal(("张叁", "practitioner-dental", 1, 1), (registration.FullName, registration.ExamCategory, registration.ProfileVersion, registration.Version));
    }

    [Fact]
    public void Nothing_to_change_and_a_finished_review_are_refused_without_touching_the_registration()
    {
        var registration = Registration();
        Assert.Equal(CorrectionRefusal.NothingChanges,
            registration.Correct(new Dictionary<string, string> { [CorrectableFields.FullName] = "张三" }, "r", "a", Now).Refusal);
        registration.Status = CandidateStatus.Approved;
        var (refusal, rows) = registration.Correct(new Dictionary<string, string> { [CorrectableFields.FullName] = "李四" }, "r", "a", Now);
        Assert.Equal((CorrectionRefusal.ReviewFinished, 0, "张三", 0), (refusal, rows.Count, registration.FullName, registration.Version));
    }

    [Theory]
    [InlineData(CorrectableFields.IdNumber, "4301011990010112")]
    [InlineData(CorrectableFields.MobileNumber, "23800000000")]
    [InlineData(CorrectableFields.ExamCategory, "surgeon")]
    [InlineData(CorrectableFields.FullName, "  ")]
    [InlineData("siteCode", "4302")]
    public void Bad_values_and_fields_staff_may_not_correct_are_named_in_Chinese(string field, string value) =>
        Assert.NotNull(CorrectableFields.Problem(field, value, DateOnly.FromDateTime(Now.UtcDateTime)));

    [Fact]
    public void A_new_ID_number_another_registration_of_the_year_holds_is_refused_without_touching_the_registration()
    {
        var registration = Registration();
        var values = new Dictionary<string, string> { [CorrectableFields.FullName] = "张叁", [CorrectableFields.IdNumber] = "11010519491231002X" };

        var (refusal, rows) = registration.Correct(values, "核对身份证", "site-4301", Now, idNumberHolder: Guid.NewGuid());

        Assert.Equal((CorrectionRefusal.IdNumberRegistered, 0), (refusal, rows.Count));
        Assert.Equal(("张三", "43010119900101124X", 0), (registration.FullName, registration.IdNumber, registration.Version));
        Assert.Equal("id_number_registered", refusal.Describe(registration).Code);
        // Its own number (it holds it), or one nobody holds, is no obstacle.
        Assert.Equal(CorrectionRefusal.None, registration.Correct(values, "核对身份证", "site-4301", Now, idNumberHolder: registration.Id).Refusal);
        Assert.Equal(CorrectionRefusal.None, Registration().Correct(values, "核对身份证", "site-4301", Now, idNumberHolder: null).Refusal);
    }

    private static ReviewCase ReturnedCase(bool awaitingCorrection) => new()
    {
        Id = Guid.NewGuid(),
        RegistrationNumber = "2027430000000001",
        AreaCode = "43",
        SiteCode = "4301",
        State = CaseState.Returned,
        ImageIdsJson = "[]",
        AwaitingCorrection = awaitingCorrection,
        RespondBy = Now.AddHours(24),
    };

    [Fact]
    public void A_case_returned_for_the_data_resumes_site_review_on_a_correction_and_an_image_return_does_not()
    {
        var correction = new StaffCorrection("site-staff-1", ["姓名"], "考生持身份证到考点核对", Now);
        var data = ReturnedCase(awaitingCorrection: true);
        Assert.Single(data.TakeCorrection(correction, Now).Messages.OfType<ExamReview.Contracts.ReviewResumed>());
        Assert.Equal((CaseState.SiteReview, false, true, null), (data.State, data.AwaitingCorrection, data.ResubmittedSinceReview, data.RespondBy));
        Assert.Empty(data.TakeCorrection(correction, Now).Messages); // only once

        var images = ReturnedCase(awaitingCorrection: false);
        Assert.Empty(images.TakeCorrection(correction, Now).Messages);
        Assert.Equal(CaseState.Returned, images.State);
    }
}
