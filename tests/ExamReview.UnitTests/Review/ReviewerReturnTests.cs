using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>A reviewer's return, decided by the case: what it refuses, what it changes, and what it sends.</summary>
public sealed class ReviewerReturnTests
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(5);

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

    private static ReviewCase HeldAtArea()
    {
        var c = HeldCase();
        c.ReleaseClaim(T0);
        c.State = CaseState.AreaReview;
        c.Claim("area-reviewer-1", T0, TimeSpan.FromMinutes(30));
        return c;
    }

    private static DecisionResult ReturnAtArea(ReviewCase c, ReviewerReturn request, IReadOnlyList<ImageReview> images) =>
        c.Return(request, images, ImageChecks.None, ReviewLevel.Area, "area-reviewer-1", T0.AddMinutes(5), Window, new Dictionary<Guid, string>());

    [Fact]
    public void A_return_that_would_unlock_nothing_is_refused_at_either_level_its_preview_too_and_changes_nothing()
    {
        // Every image ✓ (final), none named, nothing missing, not a data return: the candidate could change nothing.
        var images = new[] { Image(ImageDecision.Approved), Image(ImageDecision.Approved) };
        var site = HeldCase();
        var area = HeldAtArea();

        var atSite = Return(site, new("身份证照片不清晰，请重新上传", [], false), images).Refusal!;
        var atArea = ReturnAtArea(area, new("请补充材料", [], false), images).Refusal!;
        var preview = area.PlanReturn(new("请补充材料", [], false), images, ImageChecks.None, ReviewLevel.Area, "area-reviewer-1", T0.AddMinutes(5)).Refusal!;

        foreach (var refusal in new[] { atSite, atArea, preview })
        {
            Assert.Equal((CaseRefusalKind.Conflict, CaseRefusals.NothingToChangeCode), (refusal.Kind, refusal.Code));
            Assert.Contains("考生无法修改任何材料", refusal.DetailZh, StringComparison.Ordinal);
            Assert.Contains("要求重传", refusal.DetailZh, StringComparison.Ordinal); // tells the reviewer what to do instead
            Assert.Contains("要求补充材料", refusal.DetailZh, StringComparison.Ordinal);
        }
        // Asked without feedback it is still this refusal, not "feedback required": words would not make it go.
        Assert.Equal(CaseRefusals.NothingToChangeCode, Return(HeldCase(), new(null, [], false), images).Refusal?.Code);
        Assert.Equal((CaseState.SiteReview, 0, Reviewer, (string?)null), (site.State, site.ReturnCount, site.ClaimedBy, site.Feedback));
        Assert.Equal((CaseState.AreaReview, 0, "area-reviewer-1"), (area.State, area.ReturnCount, area.ClaimedBy));
        Assert.All(images, i => Assert.Equal(ImageDecision.Approved, i.Decision));
    }

    [Fact]
    public void A_return_goes_when_it_leaves_the_candidate_an_image_to_change_a_missing_material_a_material_to_add_or_the_registration_data()
    {
        // An image not yet reviewed: a return naming none unlocks it.
        var unreviewed = ReturnAtArea(HeldAtArea(), new("请重新上传未审核的图片", [], false), [Image(ImageDecision.Approved), Image(ImageDecision.Pending)]);
        Assert.Null(unreviewed.Refusal);
        Assert.Empty(Assert.Single(unreviewed.Messages.OfType<UnlockMaterials>()).ImageIds);

        // An image marked for replacement.
        var marked = Image(ImageDecision.ReplacementRequested, "unclear");
        var replace = Return(HeldCase(), new(null, [], false), [Image(ImageDecision.Approved), marked]);
        Assert.Equal([marked.ImageId], Assert.Single(replace.Messages.OfType<UnlockMaterials>()).ImageIds);

        // Every image ✓ but a required material missing (continuous mode, passed at site with the override): 补传.
        var missing = HeldAtArea();
        missing.ReportMissing(["毕业证书"]);
        var supplement = ReturnAtArea(missing, new("请补传毕业证书", [], false), [Image(ImageDecision.Approved)]);
        Assert.Null(supplement.Refusal);
        Assert.Equal(CaseState.Returned, missing.State);

        // Every image ✓, nothing missing, but the candidate is asked to add a material where the catalog leaves room (补充).
        var extra = HeldAtArea();
        var supplement2 = ReturnAtArea(extra, new("请补充上传第二家试用机构的试用期考核合格证明", [], false, Supplement: true), [Image(ImageDecision.Approved)]);
        Assert.Null(supplement2.Refusal);
        Assert.Empty(Assert.Single(supplement2.Messages.OfType<UnlockMaterials>()).ImageIds); // the application opens; no ✓ is touched
        Assert.StartsWith("要求补充上传材料，请于", Assert.Single(supplement2.Timeline, e => e.Kind == CaseEventKinds.ReturnedArea).Detail, StringComparison.Ordinal);
        // It says what to add, and it is not a registration-data return.
        var unsaid = ReturnAtArea(HeldAtArea(), new(" ", [], false, Supplement: true), [Image(ImageDecision.Approved)]).Refusal!;
        Assert.Equal((CaseRefusalKind.InvalidField, "feedback"), (unsaid.Kind, unsaid.Facts!["field"]));
        Assert.Equal("data_return_with_images",
            ReturnAtArea(HeldAtArea(), new("姓名有误", [], true, Supplement: true), [Image(ImageDecision.Approved)]).Refusal?.Code);

        // Every image ✓ and the registration data wrong: staff correct it, nothing unlocks.
        var data = HeldAtArea();
        var dataReturn = ReturnAtArea(data, new("姓名与身份证不一致，请联系考点更正", [], true), [Image(ImageDecision.Approved)]);
        Assert.Null(dataReturn.Refusal);
        Assert.True(data.AwaitingCorrection);
        Assert.Empty(dataReturn.Messages.OfType<UnlockMaterials>());
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

    [Fact]
    public void A_return_whose_feedback_would_exceed_what_the_case_keeps_is_refused_whole_and_changes_nothing()
    {
        // Seven images marked with long notes: the lines naming the last ones used to be cut from the candidate's 审核意见.
        var note = new string('清', 300);
        var images = Enumerable.Range(0, 7).Select(_ => Image(ImageDecision.ReplacementRequested, "unclear", note)).ToList();
        var names = images.ToDictionary(i => i.ImageId, _ => "有效身份证明");
        var c = HeldCase();

        var refusal = Return(c, new("请按意见重新上传", [], false), images, names).Refusal!;
        var preview = c.PlanReturn(new("请按意见重新上传", [], false), images, ImageChecks.None, ReviewLevel.Site, Reviewer, T0.AddMinutes(5), names);

        Assert.Equal((CaseRefusalKind.Unprocessable, "feedback_too_long"), (refusal.Kind, refusal.Code));
        Assert.True((int)refusal.Facts!["length"]! > ImageDecisionRules.MaxFeedback);
        Assert.Equal("feedback_too_long", preview.Refusal?.Code);
        Assert.Equal((CaseState.SiteReview, 0, Reviewer, (string?)null), (c.State, c.ReturnCount, c.ClaimedBy, c.Feedback));

        // Within the limit it goes, whole: every image's line is in the text the candidate reads.
        var fitting = images.Take(5).ToList();
        var result = Return(c, new("请按意见重新上传", [], false), fitting, names);
        Assert.Null(result.Refusal);
        Assert.Equal(5, c.Feedback!.Split('\n').Count(line => line.StartsWith("有效身份证明图片：图片不清晰", StringComparison.Ordinal)));
        Assert.Equal(c.Feedback, Assert.Single(result.Messages.OfType<UnlockMaterials>()).Feedback);
    }
}
