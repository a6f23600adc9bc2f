using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

public sealed class ImageDecisionRulesTests
{
    private static readonly Guid CaseId = Guid.NewGuid();

    private static ImageReview Row(ImageDecision decision, string? type, string? reason = null, string? note = null) => new()
    {
        Id = Guid.NewGuid(), CaseId = CaseId, ImageId = Guid.NewGuid(), MaterialType = type, SubmissionNumber = 1,
        Decision = decision, ReasonCode = reason, Note = note, DecidedBy = decision == ImageDecision.Pending ? null : "site-a",
    };

    [Fact]
    public void Unreviewed_and_awaiting_replacement_images_block_an_approval()
    {
        var approved = Row(ImageDecision.Approved, "id-card");
        var pending = Row(ImageDecision.Pending, "id-card");
        var replace = Row(ImageDecision.ReplacementRequested, "id-card", "unclear");
        var gone = Row(ImageDecision.Pending, "id-card");
        gone.Current = false;
        Assert.Equal([pending, replace], ImageDecisionRules.Blocking([approved, pending, replace, gone]));
        Assert.Empty(ImageDecisionRules.Blocking([approved, gone]));
    }

    [Fact]
    public void A_replacement_is_flagged_with_the_decision_and_reason_of_the_image_it_replaces()
    {
        var idFront = Row(ImageDecision.Approved, "id-card");
        var idBack = Row(ImageDecision.ReplacementRequested, "id-card", "unclear", "背面模糊");
        var diploma = Row(ImageDecision.ReplacementRequested, "graduation-certificate", "incomplete");
        var newDiploma = Guid.NewGuid();
        var newBack = Guid.NewGuid();
        var types = new Dictionary<Guid, string> { [newDiploma] = "graduation-certificate", [newBack] = "id-card" };

        var added = ImageDecisionRules.Resubmit(CaseId, [idFront, idBack, diploma], [idFront.ImageId, newDiploma, newBack], 2, id => types.GetValueOrDefault(id));

        Assert.False(idBack.Current);
        Assert.False(diploma.Current);
        Assert.True(idFront.Current);
        Assert.Equal(ImageDecision.Approved, idFront.Decision);
        var back = Assert.Single(added, a => a.ImageId == newBack);
        Assert.Equal(idBack.ImageId, back.ReplacesImageId);
        Assert.Equal(ImageDecision.ReplacementRequested, back.PreviousDecision);
        Assert.Equal("unclear", back.PreviousReasonCode);
        Assert.Equal("背面模糊", back.PreviousNote);
        Assert.Equal(ImageDecision.Pending, back.Decision);
        Assert.Equal(2, back.SubmissionNumber);
        var certificate = Assert.Single(added, a => a.ImageId == newDiploma);
        Assert.Equal(diploma.ImageId, certificate.ReplacesImageId);
        Assert.Equal("incomplete", certificate.PreviousReasonCode);
    }

    [Fact]
    public void Without_known_types_replacements_pair_up_in_order()
    {
        var first = Row(ImageDecision.ReplacementRequested, null, "unclear");
        var second = Row(ImageDecision.ReplacementRequested, null, "expired");
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var added = ImageDecisionRules.Resubmit(CaseId, [first, second], [a, b], 2, _ => null);
        Assert.Equal([first.ImageId, second.ImageId], added.Select(x => x.ReplacesImageId!.Value));
    }

    [Fact]
    public void An_image_kept_despite_a_replacement_request_goes_back_to_pending_with_the_request_beside_it()
    {
        var kept = Row(ImageDecision.ReplacementRequested, "id-card", "wrong-orientation", "请旋转");
        var added = ImageDecisionRules.Resubmit(CaseId, [kept], [kept.ImageId], 2, _ => "id-card");
        Assert.Empty(added);
        Assert.True(kept.Current);
        Assert.Equal(ImageDecision.Pending, kept.Decision);
        Assert.Null(kept.ReasonCode);
        Assert.Null(kept.DecidedBy);
        Assert.Equal(ImageDecision.ReplacementRequested, kept.PreviousDecision);
        Assert.Equal("wrong-orientation", kept.PreviousReasonCode);
        Assert.Equal("请旋转", kept.PreviousNote);
    }

    [Fact]
    public void An_unreviewed_image_kept_in_a_resubmission_stays_unreviewed_and_unflagged()
    {
        var pending = Row(ImageDecision.Pending, "id-card");
        Assert.Empty(ImageDecisionRules.Resubmit(CaseId, [pending], [pending.ImageId], 2, _ => "id-card"));
        Assert.Equal(ImageDecision.Pending, pending.Decision);
        Assert.Null(pending.PreviousDecision);
        Assert.True(pending.Current);
    }

    [Fact]
    public void A_new_image_that_replaces_nothing_carries_no_previous_decision()
    {
        var approved = Row(ImageDecision.Approved, "id-card");
        var extra = Guid.NewGuid();
        var added = ImageDecisionRules.Resubmit(CaseId, [approved], [approved.ImageId, extra], 2, _ => "degree-certificate");
        var only = Assert.Single(added);
        Assert.Null(only.ReplacesImageId);
        Assert.Null(only.PreviousDecision);
    }

    [Fact]
    public void The_return_notice_batches_every_image_reason_under_the_reviewer_feedback_naming_materials_in_chinese()
    {
        var unclear = Row(ImageDecision.ReplacementRequested, "id-card", "unclear", "反面");
        var expired = Row(ImageDecision.ReplacementRequested, null, "expired");
        var text = ImageDecisionRules.ComposeFeedback("请按要求重新上传", [unclear, expired],
            id => id == unclear.ImageId ? "有效身份证明" : null);
        Assert.Equal("请按要求重新上传\n有效身份证明图片：图片不清晰（反面）\n图片：已过有效期", text);
        Assert.DoesNotContain("id-card", text);
        Assert.Equal("", ImageDecisionRules.ComposeFeedback(null, [], _ => null));
    }

    [Fact]
    public void The_reason_catalog_has_the_seeded_reasons_with_unique_codes()
    {
        Assert.Equal(ReplacementReasons.All.Count, ReplacementReasons.All.Select(r => r.Code).Distinct().Count());
        foreach (var name in new[] { "图片不清晰", "证件不完整", "图片方向错误", "材料类型不符", "已过有效期" })
        {
            Assert.Contains(ReplacementReasons.All, r => r.NameZh == name);
        }
        Assert.Null(ReplacementReasons.Find("no-such-reason"));
    }
}
