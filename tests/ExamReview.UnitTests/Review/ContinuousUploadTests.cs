using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// Continuous mode, decided by the case (<see cref="ReviewCase.TakeUpload"/>, <see cref="ReviewCase.TakeDeletion"/>): an
/// upload made after the reviewer's return was decided, before MaterialStorage applied its unlock, reaches a returned case.
/// It joins it for the next round (it used to be refused until it was dead-lettered), and the return's unlock names the
/// images the case held, so MaterialStorage does not lock that upload unseen.
/// </summary>
public sealed class ContinuousUploadTests
{
    private const string Reviewer = "site-reviewer-1";
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ReturnedAt = T0.AddMinutes(5);
    private static readonly DateTimeOffset UploadedAt = T0.AddMinutes(6);

    /// <summary>A returned case: two images of round 1, one of them (the ID card) asked for again unless the return is about registration data.</summary>
    private sealed record Scene(ReviewCase Case, List<ImageReview> Rows, ImageReview Kept, ImageReview Asked, DecisionResult Return);

    private static Scene Returned(bool registrationData = false)
    {
        var c = ReviewCases.NewCase(at: T0);
        var kept = Row(c, "graduation-certificate");
        var asked = Row(c, "id-card");
        c.ImageIdsJson = CaseImageIds.ToJson([kept.ImageId, asked.ImageId]);
        c.Claim(Reviewer, T0, TimeSpan.FromMinutes(30));
        if (!registrationData)
        {
            Assert.Null(c.RequestReplacement(asked.ImageId, new ReplacementAsk("unclear", null), [kept, asked], ImageChecks.None, ReviewLevel.Site, Reviewer, T0.AddMinutes(1)).Refusal);
        }
        var result = c.Return(new ReviewerReturn(registrationData ? "姓名与身份证不一致，请联系考点更正" : null, [], registrationData), [kept, asked], ImageChecks.None,
            ReviewLevel.Site, Reviewer, ReturnedAt, TimeSpan.FromDays(1), new Dictionary<Guid, string> { [asked.ImageId] = "有效身份证明" });
        Assert.Null(result.Refusal);
        return new Scene(c, [kept, asked], kept, asked, result);
    }

    private static ImageReview Row(ReviewCase c, string type) =>
        new() { Id = Guid.NewGuid(), CaseId = c.Id, ImageId = Guid.NewGuid(), MaterialType = type, SubmissionNumber = c.SubmissionNumber };

    private static SubmittedUpload Upload(Guid imageId, int submission = 1, Guid? replaces = null) =>
        new(imageId, "id-card", "有效身份证明", submission, replaces, []);

    private static object Snapshot(ReviewCase c) => (c.State, c.Version, c.UpdatedAt, c.ImageIdsJson, c.ResubmittedSinceReview, c.MissingMaterialsJson);

    [Fact]
    public void The_return_s_unlock_names_the_images_the_case_held()
    {
        var scene = Returned();

        var unlock = Assert.Single(scene.Return.Messages.OfType<UnlockMaterials>());

        Assert.Equal([scene.Asked.ImageId], unlock.ImageIds);
        Assert.Equal([scene.Kept.ImageId, scene.Asked.ImageId], unlock.CaseImageIds);
    }

    [Fact]
    public void An_upload_made_while_the_return_was_on_its_way_joins_the_returned_case_once_and_the_resubmission_keeps_it()
    {
        var scene = Returned();
        var c = scene.Case;
        var version = c.Version;
        var uploaded = Guid.NewGuid();

        var taken = c.TakeUpload(Upload(uploaded), scene.Rows, UploadedAt);

        Assert.Equal(UploadOutcome.Joined, taken.Outcome);
        var row = taken.Added!;
        Assert.Equal((uploaded, c.Id, 1, true, ImageDecision.Pending, (Guid?)null), (row.ImageId, row.CaseId, row.SubmissionNumber, row.Current, row.Decision, row.ReplacesImageId));
        // Still returned, and not flagged as resubmitted: the candidate's next submission (or a resumption) ends the return.
        Assert.Equal((CaseState.Returned, false, UploadedAt), (c.State, c.ResubmittedSinceReview, c.UpdatedAt));
        Assert.True(c.Version > version);
        Assert.Equal([scene.Kept.ImageId, scene.Asked.ImageId, uploaded], CaseImageIds.Of(c));
        var entry = Assert.Single(taken.Timeline);
        Assert.Equal((CaseEventKinds.ImageSubmitted, $"图片 {uploaded}（有效身份证明）；上传时退回尚未送达考生，随下一轮审核"), (entry.Kind, entry.Detail));

        // A redelivery under another message id (the inbox takes each id once) changes nothing.
        scene.Rows.Add(row);
        var before = Snapshot(c);
        Assert.Equal(UploadOutcome.NothingToJoin, c.TakeUpload(Upload(uploaded), scene.Rows, UploadedAt.AddMinutes(1)).Outcome);
        Assert.Equal(before, Snapshot(c));

        // The resubmission lists it with the replacement for the ID card: it stays as it joined, and the replacement is linked.
        var replacement = Guid.NewGuid();
        var added = ImageDecisionRules.Resubmit(c.Id, scene.Rows, [scene.Kept.ImageId, uploaded, replacement], 2, _ => "id-card");
        var linked = Assert.Single(added);
        Assert.Equal((replacement, scene.Asked.ImageId, ImageDecision.ReplacementRequested), (linked.ImageId, linked.ReplacesImageId, linked.PreviousDecision));
        Assert.Equal((true, ImageDecision.Pending), (row.Current, row.Decision));
    }

    [Fact]
    public void A_replacement_made_while_the_return_was_on_its_way_carries_the_decision_that_asked_for_it()
    {
        var scene = Returned();
        var replacement = Guid.NewGuid();

        var taken = scene.Case.TakeUpload(Upload(replacement, replaces: scene.Asked.ImageId), scene.Rows, UploadedAt);

        Assert.Equal(UploadOutcome.Joined, taken.Outcome);
        Assert.False(scene.Asked.Current);
        var row = taken.Added!;
        Assert.Equal((scene.Asked.ImageId, ImageDecision.ReplacementRequested, "unclear", ImageDecision.Pending),
            (row.ReplacesImageId, row.PreviousDecision, row.PreviousReasonCode, row.Decision));
        Assert.Equal([scene.Kept.ImageId, replacement], CaseImageIds.Of(scene.Case));
        Assert.Equal(CaseEventKinds.Resubmitted, Assert.Single(taken.Timeline).Kind);

        // The resubmission that follows lists it: nothing is added twice.
        scene.Rows.Add(row);
        Assert.Empty(ImageDecisionRules.Resubmit(scene.Case.Id, scene.Rows, [scene.Kept.ImageId, replacement], 2, _ => "id-card"));
        Assert.True(row.Current);
    }

    [Fact]
    public void An_upload_reaching_a_case_returned_for_registration_data_is_reviewed_when_the_review_resumes()
    {
        var scene = Returned(registrationData: true);
        var uploaded = Guid.NewGuid();

        var taken = scene.Case.TakeUpload(Upload(uploaded), scene.Rows, UploadedAt);
        Assert.Equal(UploadOutcome.Joined, taken.Outcome);
        scene.Rows.Add(taken.Added!);
        // No resubmission ends a data return: the review resumes on the same submission, with the upload in it.
        Assert.Null(scene.Case.ResumeAfterDataReturn("报名信息无误", UploadedAt.AddHours(1)).Refusal);

        Assert.Equal(CaseState.SiteReview, scene.Case.State);
        Assert.Contains(ImageDecisionRules.Blocking(scene.Rows), i => i.ImageId == uploaded);
        Assert.Contains(uploaded, CaseImageIds.Of(scene.Case));
    }

    [Fact]
    public void An_upload_of_a_round_not_open_yet_waits_one_of_an_earlier_round_the_case_does_not_hold_is_gone_and_a_decided_case_takes_none()
    {
        var returned = Returned();
        var before = Snapshot(returned.Case);
        Assert.Equal(UploadOutcome.RoundNotOpenYet, returned.Case.TakeUpload(Upload(Guid.NewGuid(), submission: 2), returned.Rows, UploadedAt).Outcome);
        Assert.Equal(before, Snapshot(returned.Case));

        // Round 2 is in review and does not hold this round-1 upload: it was deleted or replaced before round 2 listed every image.
        var resubmitted = Returned();
        Assert.True(resubmitted.Case.TryApply(ReviewAction.Resubmit, UploadedAt));
        resubmitted.Case.SubmissionNumber = 2;
        before = Snapshot(resubmitted.Case);
        Assert.Equal(UploadOutcome.NothingToJoin, resubmitted.Case.TakeUpload(Upload(Guid.NewGuid()), resubmitted.Rows, UploadedAt).Outcome);
        Assert.Equal(before, Snapshot(resubmitted.Case));

        var decided = Returned();
        decided.Case.State = CaseState.Approved;
        before = Snapshot(decided.Case);
        var late = decided.Case.TakeUpload(Upload(Guid.NewGuid()), decided.Rows, UploadedAt);
        Assert.Equal((UploadOutcome.AfterFinalDecision, (ImageReview?)null), (late.Outcome, late.Added));
        Assert.Equal(before, Snapshot(decided.Case));
    }

    [Fact]
    public void A_deleted_unreviewed_image_leaves_a_returned_case_but_one_awaiting_replacement_stays_for_the_resubmission_to_link()
    {
        var scene = Returned();
        var uploaded = Guid.NewGuid();
        var joined = scene.Case.TakeUpload(Upload(uploaded), scene.Rows, UploadedAt).Added!;
        scene.Rows.Add(joined);

        var withdrawn = scene.Case.TakeDeletion(uploaded, ["有效身份证明"], [joined], UploadedAt.AddMinutes(1));

        Assert.False(joined.Current);
        Assert.Equal((CaseEventKinds.ImageWithdrawn, $"图片 {uploaded}"), (Assert.Single(withdrawn).Kind, withdrawn[0].Detail));
        Assert.DoesNotContain(uploaded, CaseImageIds.Of(scene.Case));
        Assert.Equal(["有效身份证明"], scene.Case.MissingMaterials());

        Assert.Empty(scene.Case.TakeDeletion(scene.Asked.ImageId, [], [scene.Asked], UploadedAt.AddMinutes(2)));
        Assert.True(scene.Asked.Current);
        Assert.Contains(scene.Asked.ImageId, CaseImageIds.Of(scene.Case));

        scene.Case.State = CaseState.Rejected;
        var before = Snapshot(scene.Case);
        Assert.Empty(scene.Case.TakeDeletion(scene.Kept.ImageId, ["有效身份证明"], [scene.Kept], UploadedAt.AddMinutes(3)));
        Assert.Equal(before, Snapshot(scene.Case));
    }
}
