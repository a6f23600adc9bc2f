using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

/// <summary>A reviewer's return, decided by the case: what it refuses, what it changes, and what it sends.</summary>
public sealed class ReviewerReturnTests
{
    private const string Reviewer = "site-reviewer-1";
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(5);

    private static ReviewCase HeldCase()
    {
        var c = new ReviewCase
        {
            Id = Guid.NewGuid(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", AreaCode = "43",
            SiteCode = "4301", ImageIdsJson = "[]", State = CaseState.SiteReview, SubmissionNumber = 1, SubmittedAt = T0, OpenedAt = T0, UpdatedAt = T0,
        };
        c.Claim(Reviewer, T0, TimeSpan.FromMinutes(30));
        return c;
    }

    private static ImageReview Image(ImageDecision decision, string? reason = null) =>
        new() { Id = Guid.NewGuid(), ImageId = Guid.NewGuid(), Decision = decision, ReasonCode = reason };

    private static DecisionResult Return(ReviewCase c, ReviewerReturn request, IReadOnlyList<ImageReview> images, IReadOnlyDictionary<Guid, string>? names = null) =>
        c.Return(request, images, ImageChecks.None, ReviewLevel.Site, Reviewer, T0.AddMinutes(5), Window, names ?? new Dictionary<Guid, string>());

    [Fact]
    public void A_return_is_refused_for_images_outside_the_submission_approved_ones_or_without_anything_to_say()
    {
        var approved = Image(ImageDecision.Approved);
        var images = new[] { approved, Image(ImageDecision.Pending) };

        Assert.Equal("unknown_images", Return(HeldCase(), new(null, [Guid.NewGuid()], false), images).Refusal?.Code);
        Assert.Equal("image_approved", Return(HeldCase(), new("请重拍", [approved.ImageId], false), images).Refusal?.Code);
        var silent = Return(HeldCase(), new("  ", [], false), images).Refusal!;
        Assert.Equal((CaseRefusalKind.InvalidField, "feedback"), (silent.Kind, silent.Facts!["field"]));
        Assert.Equal("data_return_with_images", Return(HeldCase(), new("姓名有误", [images[1].ImageId], true), images).Refusal?.Code);
        Assert.Equal("claim_not_held", HeldCase().Return(new("请重拍", [], false), images, ImageChecks.None, ReviewLevel.Site, "site-reviewer-2", T0.AddMinutes(5), Window,
            new Dictionary<Guid, string>()).Refusal?.Code);
        Assert.Equal("not_reviewable", HeldCase().Return(new("请重拍", [], false), images, ImageChecks.None, ReviewLevel.Area, Reviewer, T0.AddMinutes(5), Window,
            new Dictionary<Guid, string>()).Refusal?.Code);
    }

    [Fact]
    public void A_refused_return_changes_nothing()
    {
        var c = HeldCase();
        var pending = Image(ImageDecision.Pending);
        // Refused only once the named images are weighed: the point where the handler used to have marked them already.
        Assert.Equal("data_return_with_images", Return(c, new("姓名有误", [pending.ImageId], true), [pending]).Refusal?.Code);
        Assert.Equal((CaseState.SiteReview, ImageDecision.Pending, 0, Reviewer), (c.State, pending.Decision, c.ReturnCount, c.ClaimedBy));
    }

    [Fact]
    public void A_return_asks_for_the_images_by_their_material_restarts_the_window_and_sends_one_unlock_and_one_notice()
    {
        var c = HeldCase();
        var marked = Image(ImageDecision.ReplacementRequested, "unclear");
        var named = Image(ImageDecision.Pending);
        var approved = Image(ImageDecision.Approved);
        var names = new Dictionary<Guid, string> { [marked.ImageId] = "有效身份证明", [named.ImageId] = "学历证书" };
        var plan = c.PlanReturn(new("请按意见修改", [named.ImageId], false), [marked, named, approved], ImageChecks.None, ReviewLevel.Site, Reviewer, T0.AddMinutes(5));

        var result = Return(c, new("请按意见修改", [named.ImageId], false), [marked, named, approved], names);

        Assert.Null(result.Refusal);
        Assert.Equal(2, plan.ToReplace.Count);
        Assert.Equal((CaseState.Returned, 1, (string?)null, T0.AddMinutes(5) + Window), (c.State, c.ReturnCount, c.ClaimedBy, c.RespondBy));
        Assert.Equal((ImageDecision.ReplacementRequested, ReturnComposition.NamedReason, Reviewer), (named.Decision, named.ReasonCode, named.DecidedBy));
        Assert.Equal(ImageDecision.Approved, approved.Decision);
        Assert.Equal("请按意见修改\n有效身份证明图片：图片不清晰\n学历证书图片：其他", c.Feedback);
        var unlock = Assert.Single(result.Messages.OfType<UnlockMaterials>());
        Assert.Equal(new[] { marked.ImageId, named.ImageId }.Order(), unlock.ImageIds.Order());
        var returned = Assert.Single(result.Messages.OfType<ApplicationReturned>());
        Assert.Equal(("site", c.Feedback, false), (returned.ReviewLevel, returned.Feedback, returned.RegistrationData));
        Assert.Equal([CaseEventKinds.ImageReplacementRequested, CaseEventKinds.ReturnedSite, CaseEventKinds.MessageSent], result.Timeline.Select(e => e.Kind));
        Assert.Contains(Reviewer, result.Timeline[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registration_data_return_unlocks_no_image_and_waits_for_the_correction()
    {
        var c = HeldCase();
        var result = Return(c, new("姓名与身份证不一致，请联系考点更正", [], true), [Image(ImageDecision.Pending)]);

        Assert.Null(result.Refusal);
        Assert.True(c.AwaitingCorrection);
        Assert.Empty(result.Messages.OfType<UnlockMaterials>());
        Assert.True(Assert.Single(result.Messages.OfType<ApplicationReturned>()).RegistrationData);
    }
}
