using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// What the candidate's upload page reads as the review moves on: 考点通过 after the site passes (only for the
/// submission in review), and a return for registration data showing its feedback while nothing unlocks.
/// </summary>
public sealed class ApplicationReviewStateTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private const string CatalogDocument = """
        {
          "title": "test",
          "conditions": {},
          "materialTypes": [ { "code": "photo", "name": "近期免冠照片", "description": "白底", "minCount": 1, "maxCount": 2, "rule": "required" } ]
        }
        """;

    private static readonly EffectiveCatalog Catalog = new(Guid.CreateVersion7(), 2027, "43", 1, CatalogParser.Parse(CatalogDocument).Catalog!);

    private static MaterialImage NewImage(MaterialApplication application) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = "photo", ObjectKey = $"originals/{Guid.NewGuid():N}",
        ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = Now,
    };

    private static MaterialApplication Submitted(SubmissionMode mode = SubmissionMode.Explicit)
    {
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430000000001", ExamYear = 2027,
            AreaCode = "43", SiteCode = "4301", SubmissionMode = mode, CreatedAt = Now,
        };
        Assert.Null(application.Upload(NewImage(application), Catalog, new CandidateProfile(), Now).Refusal);
        if (mode == SubmissionMode.Explicit)
        {
            Assert.Null(application.Submit(Catalog, new CandidateProfile(), Now).Refusal);
        }
        Assert.True(application.InReview);
        return application;
    }

    [Fact]
    public void The_site_passing_the_submission_in_review_makes_it_site_passed_and_still_locked()
    {
        var application = Submitted();
        var version = application.Version;

        Assert.Null(application.PassSite(application.SubmissionNumber).Refusal);

        Assert.Equal(ApplicationState.SitePassed, application.State);
        Assert.True(application.IsLocked && application.InReview);
        Assert.Equal(ImageLock.Locked, application.LockOf(application.Images[0]));
        Assert.True(application.Version > version);
    }

    [Fact]
    public void A_late_site_pass_of_an_earlier_round_or_after_a_return_changes_nothing()
    {
        var application = Submitted();
        application.PassSite(application.SubmissionNumber + 1);
        Assert.Equal(ApplicationState.Submitted, application.State);

        application.Unlock([], "请重新上传");
        application.PassSite(application.SubmissionNumber);
        Assert.Equal(ApplicationState.Returned, application.State);
    }

    [Fact]
    public void Continuous_uploads_after_the_site_passed_stay_in_the_same_submission()
    {
        var application = Submitted(SubmissionMode.Continuous);
        application.PassSite(application.SubmissionNumber);
        var submission = application.SubmissionNumber;

        var decision = application.Upload(NewImage(application), Catalog, new CandidateProfile(), Now);

        Assert.Null(decision.Refusal);
        Assert.Equal((ApplicationState.SitePassed, submission), (application.State, application.SubmissionNumber));
        Assert.DoesNotContain(decision.Events, e => e is ExamReview.Contracts.ApplicationSubmitted);
    }

    [Fact]
    public void A_return_for_registration_data_shows_its_feedback_keeps_everything_locked_and_resumes_on_correction()
    {
        var application = Submitted();

        application.AwaitCorrection("姓名与身份证不一致，请联系考点修改报名信息");

        Assert.Equal(ApplicationState.AwaitingCorrection, application.State);
        Assert.Equal("姓名与身份证不一致，请联系考点修改报名信息", application.FeedbackToShow);
        Assert.True(application.IsLocked);
        Assert.Equal(ImageLock.Locked, application.LockOf(application.Images[0]));
        var refusal = application.Upload(NewImage(application), Catalog, new CandidateProfile(), Now).Refusal;
        Assert.Equal("application_locked", refusal?.Code);
        Assert.Contains("联系考点", refusal!.DetailZh, StringComparison.Ordinal);
        Assert.Equal("application_locked", application.Submit(Catalog, new CandidateProfile(), Now).Refusal?.Code);

        application.ResumeAfterCorrection();

        Assert.Equal(ApplicationState.Submitted, application.State);
        Assert.Null(application.FeedbackToShow);
    }

    /// <summary>
    /// After a data return at (1, 5): the review resumes at (1, 6), the site re-approves at (1, 8) with a lock and 考点通过.
    /// After an outage the three arrive in any order (prefetch, two replicas); every order ends where the review is.
    /// </summary>
    [Theory]
    [InlineData("resume", "lock", "pass")]
    [InlineData("resume", "pass", "lock")]
    [InlineData("lock", "resume", "pass")]
    [InlineData("lock", "pass", "resume")]
    [InlineData("pass", "resume", "lock")]
    [InlineData("pass", "lock", "resume")]
    public void A_resumption_overtaken_by_the_site_s_next_steps_still_ends_in_review_site_passed(string first, string second, string third)
    {
        var application = Submitted();
        application.AwaitCorrection("学历填写错误，请联系考点", new ReviewPosition(1, 5));
        Assert.Equal(ApplicationState.AwaitingCorrection, application.State);
        var steps = new Dictionary<string, Action>
        {
            ["resume"] = () => application.ResumeAfterCorrection(new ReviewPosition(1, 6)),
            ["lock"] = () => Assert.Null(application.Lock([], new ReviewPosition(1, 8)).Refusal),
            ["pass"] = () => application.PassSite(application.SubmissionNumber, new ReviewPosition(1, 8)),
        };

        foreach (var step in new[] { first, second, third })
        {
            steps[step]();
        }

        Assert.Equal(ApplicationState.SitePassed, application.State);
        Assert.Null(application.FeedbackToShow);
        Assert.True(application.IsLocked && application.InReview);
        Assert.Equal(ImageReviewState.Locked, application.Images[0].Review);
    }

    [Fact]
    public void A_site_pass_older_than_the_last_review_step_changes_nothing_even_in_the_same_submission()
    {
        // 考点通过 at (1, 4), then the area's data return at (1, 7) and the resumption at (1, 9), and only then the pass.
        var application = Submitted();
        application.Lock([], new ReviewPosition(1, 4));
        application.AwaitCorrection("姓名有误", new ReviewPosition(1, 7));
        application.ResumeAfterCorrection(new ReviewPosition(1, 9));

        application.PassSite(application.SubmissionNumber, new ReviewPosition(1, 4));

        Assert.Equal(ApplicationState.Submitted, application.State); // the site has not passed the resumed review yet
    }

    [Fact]
    public void A_later_data_return_while_one_is_still_awaited_brings_its_own_feedback()
    {
        var application = Submitted();
        application.AwaitCorrection("姓名有误", new ReviewPosition(1, 5));
        // The resumption (1, 6) and the site's steps (1, 8) are still queued when the area returns it for data again.
        application.AwaitCorrection("证件号码有误", new ReviewPosition(1, 11));
        application.ResumeAfterCorrection(new ReviewPosition(1, 6));
        application.Lock([], new ReviewPosition(1, 8));

        Assert.Equal((ApplicationState.AwaitingCorrection, "证件号码有误"), (application.State, application.FeedbackToShow));
    }
}
