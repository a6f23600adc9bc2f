using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// The candidate's resubmission as the case takes it (<see cref="ReviewCase.TakeResubmission"/>), and what a return tells
/// the other services about who notifies the candidate. The timeline's line counts the images that came in for the round:
/// new in the submission, or joined while the return was on its way (continuous mode). A round MaterialStorage opened with
/// the unlock itself (the return answered in transit) brings only the second kind, and its line read "共 0 张，其中替换 0 张".
/// </summary>
public sealed class ResubmissionTests
{
    private const string Reviewer = "site-reviewer-1";
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ReturnedAt = T0.AddMinutes(5);
    private static readonly TimeSpan Window = TimeSpan.FromDays(1);

    private sealed record Scene(ReviewCase Case, List<ImageReview> Rows, ImageReview Kept, ImageReview Asked, DecisionResult Return);

    /// <summary>Round 1 (a diploma and an ID card) returned by the site reviewer, the ID card asked for again.</summary>
    private static Scene Returned()
    {
        var c = ReviewCases.NewCase(at: T0);
        var kept = Row(c, "graduation-certificate");
        var asked = Row(c, "id-card");
        c.ImageIdsJson = CaseImageIds.ToJson([kept.ImageId, asked.ImageId]);
        c.Claim(Reviewer, T0, TimeSpan.FromMinutes(30));
        Assert.Null(c.RequestReplacement(asked.ImageId, new ReplacementAsk("unclear", null), [kept, asked], ImageChecks.None, ReviewLevel.Site, Reviewer, T0.AddMinutes(1)).Refusal);
        var result = c.Return(new ReviewerReturn(null, [], false), [kept, asked], ImageChecks.None, ReviewLevel.Site, Reviewer, ReturnedAt, Window,
            new Dictionary<Guid, string> { [asked.ImageId] = "有效身份证明" });
        Assert.Null(result.Refusal);
        return new Scene(c, [kept, asked], kept, asked, result);
    }

    private static ImageReview Row(ReviewCase c, string type) =>
        new() { Id = Guid.NewGuid(), CaseId = c.Id, ImageId = Guid.NewGuid(), MaterialType = type, SubmissionNumber = c.SubmissionNumber };

    private static ApplicationSubmitted Round(ReviewCase c, int number, IReadOnlyList<Guid> imageIds, DateTimeOffset at, IReadOnlyList<string>? missing = null) =>
        new(c.ApplicationId, c.CandidateId, c.RegistrationNumber, c.AreaCode, c.SiteCode, number, imageIds, at) { MissingMaterials = missing };

    /// <summary>An upload made while the return was on its way, taken by the returned case.</summary>
    private static ImageReview JoinDuringReturn(Scene scene, Guid imageId, string type, Guid? replaces = null)
    {
        var taken = scene.Case.TakeUpload(new SubmittedUpload(imageId, type, type, 1, replaces, []), scene.Rows, ReturnedAt.AddMinutes(1));
        Assert.Equal(UploadOutcome.Joined, taken.Outcome);
        scene.Rows.Add(taken.Added!);
        return taken.Added!;
    }

    [Fact]
    public void A_round_opened_by_the_unlock_counts_the_replacement_that_joined_while_the_return_was_on_its_way()
    {
        var scene = Returned();
        var replacement = JoinDuringReturn(scene, Guid.NewGuid(), "id-card", replaces: scene.Asked.ImageId);
        Assert.Equal(scene.Case.ReturnCount, replacement.ArrivedInReturn);

        // MaterialStorage's unlock found the ID card replaced and opened round 2 with it: the case holds every image already.
        var taken = scene.Case.TakeResubmission(Round(scene.Case, 2, [scene.Kept.ImageId, replacement.ImageId], ReturnedAt.AddMinutes(1), ["近期免冠照片"]),
            scene.Rows, _ => "id-card", ReturnedAt.AddMinutes(2));

        Assert.Equal(ResubmissionOutcome.Taken, taken.Outcome);
        Assert.Empty(taken.Added);
        var entry = Assert.Single(taken.Timeline);
        Assert.Equal((CaseEventKinds.Resubmitted, "第 2 次提交，共 1 张，其中替换 1 张"), (entry.Kind, entry.Detail));
        Assert.Equal((CaseState.SiteReview, 2, true), (scene.Case.State, scene.Case.SubmissionNumber, scene.Case.ResubmittedSinceReview));
        Assert.Equal(["近期免冠照片"], scene.Case.MissingMaterials()); // the round's own list, not the returned round's
    }

    [Fact]
    public void A_resubmission_counts_new_images_and_those_that_joined_during_the_return_but_not_one_deleted_since()
    {
        var scene = Returned();
        var extra = JoinDuringReturn(scene, Guid.NewGuid(), "extra");
        var deleted = JoinDuringReturn(scene, Guid.NewGuid(), "extra-2");
        var replacement = Guid.NewGuid();

        // After the unlock the candidate replaced the ID card (a new image) and deleted one of the two extra uploads.
        var taken = scene.Case.TakeResubmission(Round(scene.Case, 2, [scene.Kept.ImageId, extra.ImageId, replacement], ReturnedAt.AddHours(2)),
            scene.Rows, id => id == replacement ? "id-card" : null, ReturnedAt.AddHours(2));

        var linked = Assert.Single(taken.Added);
        Assert.Equal((replacement, scene.Asked.ImageId), (linked.ImageId, linked.ReplacesImageId));
        Assert.False(deleted.Current);
        Assert.Equal("第 2 次提交，共 2 张，其中替换 1 张", Assert.Single(taken.Timeline).Detail);
    }

    [Fact]
    public void Only_the_current_return_s_arrivals_count_and_an_explicit_resubmission_reads_as_before()
    {
        var scene = Returned();
        var early = JoinDuringReturn(scene, Guid.NewGuid(), "extra");
        var replacement = Guid.NewGuid();
        var second = scene.Case.TakeResubmission(
            Round(scene.Case, 2, [scene.Kept.ImageId, early.ImageId, replacement], ReturnedAt.AddHours(1)), scene.Rows, _ => "id-card", ReturnedAt.AddHours(1));
        // An explicit-mode style resubmission: the new replacement counts, as it always did (and the early upload with it).
        Assert.Equal("第 2 次提交，共 2 张，其中替换 1 张", Assert.Single(second.Timeline).Detail);
        scene.Rows.AddRange(second.Added);

        // Round 2 is returned in turn (nothing named: every image not approved); round 3 adds one new image.
        var c = scene.Case;
        c.Claim(Reviewer, ReturnedAt.AddHours(2), TimeSpan.FromMinutes(30));
        Assert.Null(c.Return(new ReviewerReturn("请补充材料", [], false), scene.Rows, ImageChecks.None, ReviewLevel.Site, Reviewer, ReturnedAt.AddHours(2), Window,
            new Dictionary<Guid, string>()).Refusal);
        var another = Guid.NewGuid();
        var taken = c.TakeResubmission(Round(c, 3, [scene.Kept.ImageId, early.ImageId, replacement, another], ReturnedAt.AddDays(2)), scene.Rows, _ => "extra-2",
            ReturnedAt.AddDays(2));

        // The image that joined during the first return came in with round 2, not 3; round 3 is past the window.
        Assert.Equal("第 3 次提交，共 1 张，其中替换 0 张，已过修改截止时间", Assert.Single(taken.Timeline).Detail);
    }

    [Fact]
    public void A_resubmission_the_case_has_already_changes_nothing_and_one_reaching_a_case_in_review_is_refused()
    {
        var scene = Returned();
        var round = Round(scene.Case, 2, [scene.Kept.ImageId, Guid.NewGuid()], ReturnedAt.AddHours(1));
        Assert.Equal(ResubmissionOutcome.Taken, scene.Case.TakeResubmission(round, scene.Rows, _ => "id-card", ReturnedAt.AddHours(1)).Outcome);
        var before = (scene.Case.State, scene.Case.Version, scene.Case.ImageIdsJson);

        var again = scene.Case.TakeResubmission(round, scene.Rows, _ => "id-card", ReturnedAt.AddHours(2));
        Assert.Equal((ResubmissionOutcome.AlreadyKnown, 0, 0), (again.Outcome, again.Added.Count, again.Timeline.Count));
        Assert.Equal(before, (scene.Case.State, scene.Case.Version, scene.Case.ImageIdsJson));

        var inReview = scene.Case.TakeResubmission(Round(scene.Case, 3, [scene.Kept.ImageId], ReturnedAt.AddHours(3)), scene.Rows, _ => null, ReturnedAt.AddHours(3));
        Assert.Equal(ResubmissionOutcome.NotReturned, inReview.Outcome);
        Assert.Equal(before, (scene.Case.State, scene.Case.Version, scene.Case.ImageIdsJson));
    }

    [Fact]
    public void A_return_that_unlocks_leaves_the_candidate_s_notice_to_the_unlock_and_a_data_return_keeps_it()
    {
        var scene = Returned();
        var unlock = Assert.Single(scene.Return.Messages.OfType<UnlockMaterials>());
        var returned = Assert.Single(scene.Return.Messages.OfType<ApplicationReturned>());
        Assert.Equal((ReturnedAt + Window, true), (unlock.RespondBy, returned.NoticeOnUnlock));
        Assert.Equal(scene.Case.RespondBy, unlock.RespondBy);

        var data = new ReviewCase
        {
            Id = Guid.NewGuid(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100002", AreaCode = "43",
            SiteCode = "4301", ImageIdsJson = "[]", State = CaseState.SiteReview, SubmissionNumber = 1, SubmittedAt = T0, OpenedAt = T0, UpdatedAt = T0,
        };
        data.Claim(Reviewer, T0, TimeSpan.FromMinutes(30));
        var dataReturn = data.Return(new ReviewerReturn("姓名与身份证不一致，请联系考点更正", [], true), [], ImageChecks.None, ReviewLevel.Site, Reviewer, ReturnedAt, Window,
            new Dictionary<Guid, string>());
        Assert.Empty(dataReturn.Messages.OfType<UnlockMaterials>());
        Assert.False(Assert.Single(dataReturn.Messages.OfType<ApplicationReturned>()).NoticeOnUnlock);
    }
}
