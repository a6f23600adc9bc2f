using System.Collections.Concurrent;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Provincial;

/// <summary>An area-level decision pushed by a provincial system, decided by the case aggregate.</summary>
public sealed class AreaDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private static ReviewCase NewCase(CaseState state = CaseState.AreaReview) => new()
    {
        Id = Guid.NewGuid(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", AreaCode = "43",
        SiteCode = "4301", ImageIdsJson = "[]", State = state, SubmissionNumber = 1, SubmittedAt = T0, OpenedAt = T0, UpdatedAt = T0,
    };

    /// <summary>Every image <see cref="Image"/> makes passed its check, unless a test says otherwise.</summary>
    private static readonly ConcurrentDictionary<Guid, ImageCheck> KnownChecks = new();
    private static readonly ImageChecks Checks = new(KnownChecks);

    private static ImageReview Image(ImageDecision decision, ImageCheck check = ImageCheck.Passed)
    {
        var image = new ImageReview { Id = Guid.NewGuid(), ImageId = Guid.NewGuid(), Decision = decision };
        KnownChecks[image.ImageId] = check;
        return image;
    }

    private static AreaDecision Approve => new(AreaDecisionKind.Approve, [], null);

    [Theory]
    [InlineData(CaseState.SiteReview)]
    [InlineData(CaseState.Returned)]
    [InlineData(CaseState.Approved)]
    [InlineData(CaseState.Rejected)]
    public void Only_a_case_awaiting_area_review_takes_an_area_decision(CaseState state)
    {
        var c = NewCase(state);
        var result = c.DecideAtArea(Approve, [], Checks, "湖南省报名系统", T0, Window);
        Assert.Equal("illegal_transition", result.Refusal?.Code);
        Assert.Equal(state, c.State);
    }

    [Fact]
    public void A_reviewer_holding_the_claim_keeps_the_case()
    {
        var c = NewCase();
        c.Claim("area-reviewer-1", T0, TimeSpan.FromMinutes(30));
        Assert.Equal("claim_held", c.DecideAtArea(Approve, [], Checks, "湖南省报名系统", T0.AddMinutes(1), Window).Refusal?.Code);
        // An expired lease holds nothing.
        Assert.Null(c.DecideAtArea(Approve, [], Checks, "湖南省报名系统", T0.AddHours(1), Window).Refusal);
    }

    [Fact]
    public void Approval_approves_unreviewed_images_but_never_one_awaiting_replacement()
    {
        var c = NewCase();
        Assert.Equal("images_awaiting_replacement",
            c.DecideAtArea(Approve, [Image(ImageDecision.ReplacementRequested)], Checks, "p", T0, Window).Refusal?.Code);

        var pending = Image(ImageDecision.Pending);
        var approved = Image(ImageDecision.Approved);
        var result = c.DecideAtArea(Approve, [pending, approved], Checks, "湖南省报名系统", T0, Window);
        Assert.Null(result.Refusal);
        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal(T0, c.DecidedAt);
        Assert.Equal(ImageDecision.Approved, pending.Decision);
        Assert.Equal("湖南省报名系统", pending.DecidedBy);
        Assert.Contains(result.Timeline, e => e.Kind == CaseEventKinds.AreaApproved);
        Assert.Single(result.Timeline, e => e.Kind == CaseEventKinds.ImageApproved);
        // The images the case holds, by id, never "every image": one uploaded after the case's last look gets no ✓.
        Assert.Equal([pending.ImageId, approved.ImageId], result.Messages.OfType<ApplicationApproved>().Single().ImageIds);
        Assert.Equal([pending.ImageId, approved.ImageId], result.Messages.OfType<ApproveMaterials>().Single().ImageIds);
        // And the application closes to uploads at once, even where the result waits for the round.
        var finalLock = result.Messages.OfType<LockMaterials>().Single();
        Assert.True(finalLock.Final);
        Assert.Equal(c.CurrentPosition, finalLock.Position);
    }

    [Theory]
    [InlineData(ImageCheck.Pending, "image_check_pending")]
    [InlineData(ImageCheck.Failed, "image_check_failed")]
    public void Approval_is_refused_while_an_image_s_check_has_not_passed_and_changes_nothing(ImageCheck check, string code)
    {
        var c = NewCase();
        var version = c.Version;
        var notChecked = Image(ImageDecision.Pending, check);
        var result = c.DecideAtArea(Approve, [Image(ImageDecision.Approved), notChecked], Checks, "湖南省报名系统", T0, Window);
        Assert.Equal(code, result.Refusal?.Code);
        Assert.Empty(result.Messages);
        Assert.Equal((CaseState.AreaReview, ImageDecision.Pending, version), (c.State, notChecked.Decision, c.Version));

        KnownChecks[notChecked.ImageId] = ImageCheck.Passed;
        Assert.Null(c.DecideAtArea(Approve, [notChecked], Checks, "湖南省报名系统", T0, Window).Refusal);
        Assert.Equal(ImageDecision.Approved, notChecked.Decision);
    }

    [Fact]
    public void Approval_with_required_materials_missing_is_refused()
    {
        var c = NewCase();
        c.ReportMissing(["毕业证书"]);
        Assert.Equal("materials_missing", c.DecideAtArea(Approve, [], Checks, "p", T0, Window).Refusal?.Code);
    }

    [Fact]
    public void A_return_tells_the_candidate_the_catalog_reasons_and_unlocks_what_is_not_approved()
    {
        var c = NewCase();
        var unreviewed = Image(ImageDecision.Pending); // uploaded after the site's approval (continuous mode)
        var result = c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["unclear", "expired"], "请重新拍摄。"), [Image(ImageDecision.Approved), unreviewed],
            Checks, "湖南省报名系统", T0, Window);
        Assert.Null(result.Refusal);
        Assert.Equal(CaseState.Returned, c.State);
        Assert.Equal("退回原因：图片不清晰；已过有效期。请重新拍摄。", c.Feedback);
        Assert.Equal(T0 + Window, c.RespondBy);
        Assert.Equal(1, c.ReturnCount);
        Assert.Contains(result.Messages, m => m is UnlockMaterials { ImageIds.Count: 0 });
        Assert.Contains(result.Messages, m => m is ApplicationReturned { ReviewLevel: "area" });
        Assert.Contains(result.Timeline, e => e.Kind == CaseEventKinds.ReturnedArea);
    }

    [Fact]
    public void A_rejection_is_final_with_its_reason()
    {
        var c = NewCase();
        var result = c.DecideAtArea(new AreaDecision(AreaDecisionKind.Reject, [], " 学历不符 "), [], Checks, "湖南省报名系统", T0, Window);
        Assert.Null(result.Refusal);
        Assert.Equal(CaseState.Rejected, c.State);
        Assert.Equal("学历不符", c.Feedback);
        Assert.Contains(result.Messages, m => m is ApplicationRejected { Reason: "学历不符" });
        Assert.True(result.Messages.OfType<LockMaterials>().Single().Final); // closed to uploads even while the rejection is held
    }

    [Fact]
    public void A_return_withdraws_the_tick_of_an_image_whose_check_failed_after_it_as_a_reviewer_s_return_does_when_naming_it()
    {
        var c = NewCase();
        var failed = Image(ImageDecision.Approved, ImageCheck.Failed);
        var passed = Image(ImageDecision.Approved);
        failed.Current = passed.Current = true;
        var notCurrent = Image(ImageDecision.Approved, ImageCheck.Failed);
        notCurrent.Current = false;

        var result = c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["unclear"], null), [failed, passed, notCurrent], Checks, "湖南省报名系统", T0, Window);

        Assert.Null(result.Refusal);
        Assert.Equal((ImageDecision.ReplacementRequested, ReplacementReasons.CheckFailed.Code, "湖南省报名系统", T0),
            (failed.Decision, failed.ReasonCode, failed.DecidedBy, failed.DecidedAt));
        Assert.Equal((ImageDecision.Approved, ImageDecision.Approved), (passed.Decision, notCurrent.Decision)); // every other ✓ stays final
        var unlock = Assert.Single(result.Messages.OfType<UnlockMaterials>());
        Assert.Empty(unlock.ImageIds); // still every image not approved
        Assert.Equal([failed.ImageId], unlock.WithdrawnImageIds);
        Assert.Equal("退回原因：图片不清晰。\n另有 1 张已通过的图片之后检测未通过，请重新上传。", c.Feedback);
        Assert.Equal(c.Feedback, unlock.Feedback);
        var withdrawn = Assert.Single(result.Timeline, e => e.Kind == CaseEventKinds.ImageReplacementRequested);
        Assert.Equal($"图片 {failed.ImageId}：检测未通过，撤回通过（✓），退回时一并要求重传", withdrawn.Detail);
        Assert.Contains(result.Timeline, e => e.Kind == CaseEventKinds.MessageSent && e.Detail == $"UnlockMaterials：全部未通过的图片，及撤回通过的图片 {failed.ImageId}");
        // After the resubmission the case can pass: nothing approved is left failing.
        Assert.Equal([failed], ImageDecisionRules.Blocking([failed, passed]));

        // A return with no such image withdraws nothing and says nothing more (it goes for an image not yet reviewed).
        var clean = NewCase();
        var plain = clean.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["unclear"], null), [passed, Image(ImageDecision.Pending)], Checks, "湖南省报名系统", T0, Window);
        Assert.Empty(Assert.Single(plain.Messages.OfType<UnlockMaterials>()).WithdrawnImageIds!);
        Assert.DoesNotContain(plain.Timeline, e => e.Kind == CaseEventKinds.ImageReplacementRequested);
        Assert.Equal("退回原因：图片不清晰。", clean.Feedback);
    }

    [Fact]
    public void A_return_that_would_unlock_nothing_is_refused_and_changes_nothing()
    {
        // Every image ✓ at site level, none failed its check since, nothing missing: the candidate could change nothing.
        var c = NewCase();
        var images = new[] { Image(ImageDecision.Approved), Image(ImageDecision.Approved) };

        var refusal = c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["unclear"], "请重新拍摄。"), images, Checks, "湖南省报名系统", T0, Window).Refusal!;

        Assert.Equal((CaseRefusalKind.Conflict, CaseRefusals.NothingToChangeCode), (refusal.Kind, refusal.Code));
        Assert.Contains("请审核通过或审核拒绝", refusal.DetailZh, StringComparison.Ordinal);
        Assert.Equal((CaseState.AreaReview, 0, (string?)null, (DateTimeOffset?)null), (c.State, c.ReturnCount, c.Feedback, c.RespondBy));
        Assert.All(images, i => Assert.Equal(ImageDecision.Approved, i.Decision));

        // The same case with a required material missing goes: the returned application takes the upload (补传).
        c.ReportMissing(["毕业证书"]);
        Assert.Null(c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["other"], "请补传毕业证书。"), images, Checks, "湖南省报名系统", T0, Window).Refusal);
        Assert.Equal(CaseState.Returned, c.State);
    }

    [Fact]
    public void A_return_asking_for_materials_to_add_goes_with_every_image_approved_and_unlocks_none_of_them()
    {
        var c = NewCase();
        var images = new[] { Image(ImageDecision.Approved), Image(ImageDecision.Approved) };

        var result = c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, [], "请补充上传近三个月的社保缴纳证明。", Supplement: true), images, Checks,
            "湖南省报名系统", T0, Window);

        Assert.Null(result.Refusal);
        Assert.Equal((CaseState.Returned, 1, "请补充上传近三个月的社保缴纳证明。"), (c.State, c.ReturnCount, c.Feedback));
        Assert.All(images, i => Assert.Equal(ImageDecision.Approved, i.Decision)); // ✓ stays final
        var unlock = Assert.Single(result.Messages.OfType<UnlockMaterials>());
        Assert.Empty(unlock.ImageIds);
        Assert.Empty(unlock.WithdrawnImageIds!);
        Assert.Contains(result.Timeline, e => e.Kind == CaseEventKinds.ReturnedArea && e.Detail!.StartsWith("省级系统退回，要求补充上传材料；", StringComparison.Ordinal));
    }

    [Fact]
    public void A_supplement_keeps_catalog_reasons_it_gives_and_is_refused_without_a_note_changing_nothing()
    {
        var c = NewCase();
        var images = new[] { Image(ImageDecision.Approved) };

        foreach (var note in new[] { null, "  " })
        {
            var refusal = c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["incomplete"], note, Supplement: true), images, Checks, "湖南省报名系统", T0, Window).Refusal!;
            Assert.Equal(("validation", "note"), (refusal.Code, refusal.Facts!["field"]));
        }
        Assert.Equal((CaseState.AreaReview, 0, (string?)null), (c.State, c.ReturnCount, c.Feedback));

        Assert.Null(c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["incomplete"], "请补充证件反面。", Supplement: true), images, Checks, "湖南省报名系统", T0, Window).Refusal);
        Assert.Equal("退回原因：证件不完整。请补充证件反面。", c.Feedback);
    }

    [Fact]
    public void A_return_whose_reasons_and_note_exceed_what_the_case_keeps_is_refused_and_changes_nothing()
    {
        // A note at its own limit, with the catalog reasons in front: longer than the feedback column (a 500 on PostgreSQL before).
        var c = NewCase();
        var unreviewed = Image(ImageDecision.Pending);
        var refusal = c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["unclear"], new string('请', 2000)), [unreviewed], Checks, "湖南省报名系统", T0, Window).Refusal!;

        Assert.Equal((CaseRefusalKind.Unprocessable, "feedback_too_long"), (refusal.Kind, refusal.Code));
        Assert.Equal((CaseState.AreaReview, 0, (string?)null, ImageDecision.Pending), (c.State, c.ReturnCount, c.Feedback, unreviewed.Decision));
        Assert.Null(c.DecideAtArea(new AreaDecision(AreaDecisionKind.Return, ["unclear"], new string('请', 1989)), [unreviewed], Checks, "湖南省报名系统", T0, Window).Refusal);
        Assert.Equal(ImageDecisionRules.MaxFeedback, c.Feedback!.Length);
    }
}
