using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using MassTransit;
using Storage = ExamReview.MaterialStorage.Domain;
using StorageProfile = ExamReview.MaterialStorage.Domain.Catalogs.CandidateProfile;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// The race of continuous mode's return, message by message, through both services' real consumers and migrations
/// (SQLite, one in-memory harness each): the reviewer's return is decided in ReviewWorkflow; before MaterialStorage applies
/// its unlock, the candidate (whose page still reads 审核中) uploads one more image, into the returned round. Its
/// MaterialSubmitted reaches the returned case first, then the unlock reaches the application. The case takes the upload
/// (it used to fault until dead-lettered), the unlock leaves it open (it used to lock it unseen), and the candidate's next
/// write opens the round that reviews it.
/// </summary>
public sealed class ReturnInFlightRaceTests : TwoServiceRace
{
    [Fact]
    public async Task An_upload_made_while_the_return_is_on_its_way_joins_the_case_stays_open_and_is_reviewed_in_the_next_round()
    {
        // A continuous-mode application (national catalog): an ID card and a diploma, each its own submission of round 1.
        var applicationId = await ContinuousApplicationAsync();
        var idCard = NewImage(applicationId, "id-card");
        var diploma = NewImage(applicationId, "graduation-certificate");
        await ToReviewAsync(await UploadAsync(applicationId, idCard));
        await ToReviewAsync(await UploadAsync(applicationId, diploma));

        // The site reviewer asks for the ID card again and returns the case: decided and committed in ReviewWorkflow.
        var returned = await DecideAsync(applicationId, (reviewCase, rows, now) =>
        {
            Assert.Null(reviewCase.RequestReplacement(idCard.Id, new ReplacementAsk("unclear", null), rows, ImageChecks.None, ReviewLevel.Site, Reviewer, now).Refusal);
            return reviewCase.Return(new ReviewerReturn(null, [], false), rows, ImageChecks.None, ReviewLevel.Site, Reviewer, now, TimeSpan.FromDays(1),
                new Dictionary<Guid, string>());
        });
        var unlock = Assert.Single(returned.Messages.OfType<UnlockMaterials>());

        // The unlock has not reached MaterialStorage: the application is still in review, and the candidate uploads a second diploma.
        var later = NewImage(applicationId, "graduation-certificate");
        var upload = await UploadAsync(applicationId, later);
        Assert.DoesNotContain(upload.Events, e => e is ApplicationSubmitted);
        await ToReviewAsync(upload);

        Assert.False(await Review.Harness.Published.Any<Fault<MaterialSubmitted>>());
        var (duringReturn, rowsDuringReturn) = await CaseAsync(applicationId);
        Assert.Equal(CaseState.Returned, duringReturn.State);
        var joined = Assert.Single(rowsDuringReturn, r => r.ImageId == later.Id);
        Assert.Equal((true, ImageDecision.Pending, 1), (joined.Current, joined.Decision, joined.SubmissionNumber));

        // Now the unlock arrives: the ID card awaits its replacement, the reviewed diploma stays locked, the later one stays open.
        await SettleAsync(Materials.Harness, unlock);
        Assert.False(await Materials.Harness.Published.Any<Fault<UnlockMaterials>>());
        var application = await ApplicationAsync(applicationId);
        Assert.Equal(Storage.ApplicationState.Returned, application.State);
        Storage.ImageLock LockOf(Guid id) => application.LockOf(application.Images.Single(i => i.Id == id));
        Assert.Equal((Storage.ImageLock.Open, Storage.ImageLock.Locked, Storage.ImageLock.Open), (LockOf(idCard.Id), LockOf(diploma.Id), LockOf(later.Id)));
        Assert.Null(application.CheckChange(later.Id));
        Assert.Empty(await MaterialsOutboxAsync<ApplicationSubmitted>()); // the ID card still awaits its replacement: no round yet
        // The return reached the candidate: MaterialStorage tells them (Notification's SMS and message), ApplicationReturned does not.
        Assert.True(Assert.Single(returned.Messages.OfType<ApplicationReturned>()).NoticeOnUnlock);
        var notice = Assert.Single(await MaterialsOutboxAsync<ReturnReachedCandidate>());
        Assert.Equal((unlock.CaseId, applicationId, unlock.Feedback, unlock.RespondBy), (notice.CaseId, notice.ApplicationId, notice.Feedback, (DateTimeOffset?)notice.RespondBy));

        // The candidate replaces the ID card: round 2 lists every image, and the case reviews the later upload in it.
        var replacement = NewImage(applicationId, "id-card");
        await ToReviewAsync(await CandidateAsync(applicationId,
            (a, catalog) => a.Replace(idCard.Id, replacement, catalog, new StorageProfile(), DateTimeOffset.UtcNow)));

        Assert.False(await Review.Harness.Published.Any<Fault>());
        var (resubmitted, rows2) = await CaseAsync(applicationId);
        Assert.Equal((CaseState.SiteReview, 2, true), (resubmitted.State, resubmitted.SubmissionNumber, resubmitted.ResubmittedSinceReview));
        Assert.Equal(new[] { diploma.Id, later.Id, replacement.Id }.Order(), CaseImageIds.Of(resubmitted).Order());
        Assert.Equal(new[] { diploma.Id, later.Id, replacement.Id }.Order(), rows2.Where(r => r.Current).Select(r => r.ImageId).Order());
        Assert.Single(rows2, r => r.ImageId == later.Id);
        var linked = rows2.Single(r => r.ImageId == replacement.Id);
        Assert.Equal((idCard.Id, ImageDecision.ReplacementRequested, "unclear"), (linked.ReplacesImageId, linked.PreviousDecision, linked.PreviousReasonCode));
        Assert.Contains(ImageDecisionRules.Blocking(rows2), r => r.ImageId == later.Id);
        // Both came in for round 2: the replacement, and the diploma uploaded while the return was on its way.
        Assert.Equal("第 2 次提交，共 2 张，其中替换 1 张", (await RoundLineAsync(applicationId)).Detail);
    }

    [Fact]
    public async Task A_replacement_made_while_the_return_is_on_its_way_answers_it_and_the_next_round_starts_with_the_unlock()
    {
        var applicationId = await ContinuousApplicationAsync();
        var idCard = NewImage(applicationId, "id-card");
        var diploma = NewImage(applicationId, "graduation-certificate");
        await ToReviewAsync(await UploadAsync(applicationId, idCard));
        await ToReviewAsync(await UploadAsync(applicationId, diploma));
        var returned = await DecideAsync(applicationId, (reviewCase, rows, now) =>
        {
            Assert.Null(reviewCase.RequestReplacement(idCard.Id, new ReplacementAsk("unclear", null), rows, ImageChecks.None, ReviewLevel.Site, Reviewer, now).Refusal);
            return reviewCase.Return(new ReviewerReturn(null, [], false), rows, ImageChecks.None, ReviewLevel.Site, Reviewer, now, TimeSpan.FromDays(1),
                new Dictionary<Guid, string>());
        });
        var unlock = Assert.Single(returned.Messages.OfType<UnlockMaterials>());
        Assert.Equal([idCard.Id], unlock.ImageIds);

        // Before the unlock arrives the candidate replaces the ID card (still open, the page reads 审核中): the very image asked for.
        var replacement = NewImage(applicationId, "id-card");
        var replaced = await CandidateAsync(applicationId, (a, catalog) => a.Replace(idCard.Id, replacement, catalog, new StorageProfile(), DateTimeOffset.UtcNow));
        Assert.DoesNotContain(replaced.Events, e => e is ApplicationSubmitted);
        await ToReviewAsync(replaced);
        Assert.Equal(CaseState.Returned, (await CaseAsync(applicationId)).Case.State);

        // The unlock finds the request answered: round 2 starts with it, no further write needed.
        await SettleAsync(Materials.Harness, unlock);
        Assert.False(await Materials.Harness.Published.Any<Fault<UnlockMaterials>>());
        var application = await ApplicationAsync(applicationId);
        Assert.Equal((Storage.ApplicationState.Submitted, 2), (application.State, application.SubmissionNumber));
        Assert.Equal(Storage.ImageLock.Open, application.LockOf(application.Images.Single(i => i.Id == replacement.Id)));
        Assert.Equal(Storage.ImageLock.Locked, application.LockOf(application.Images.Single(i => i.Id == diploma.Id)));
        var round = Assert.Single(await MaterialsOutboxAsync<ApplicationSubmitted>());
        Assert.Equal(2, round.SubmissionNumber);
        Assert.Equal(new[] { diploma.Id, replacement.Id }.Order(), round.ImageIds.Order());
        // It carries what the application misses now, measured as the replacement's own upload measured it (it carried none).
        Assert.NotNull(round.MissingMaterials);
        Assert.Equal(Assert.Single(replaced.Events.OfType<MaterialSubmitted>()).MissingMaterials, round.MissingMaterials);
        // Answered before it arrived: the candidate is not told to replace what they replaced.
        Assert.Empty(await MaterialsOutboxAsync<ReturnReachedCandidate>());

        // The review takes it as the candidate's resubmission: back in site review, the replacement beside the request it answers.
        await SettleAsync(Review.Harness, round);
        Assert.False(await Review.Harness.Published.Any<Fault>());
        var (resubmitted, rows2) = await CaseAsync(applicationId);
        Assert.Equal((CaseState.SiteReview, 2, true), (resubmitted.State, resubmitted.SubmissionNumber, resubmitted.ResubmittedSinceReview));
        Assert.Equal(new[] { diploma.Id, replacement.Id }.Order(), rows2.Where(r => r.Current).Select(r => r.ImageId).Order());
        var linked = rows2.Single(r => r.ImageId == replacement.Id);
        Assert.Equal((idCard.Id, ImageDecision.Pending, ImageDecision.ReplacementRequested), (linked.ReplacesImageId, linked.Decision, linked.PreviousDecision));
        // The timeline counts the round's image: it came in while the return was on its way (it read 共 0 张，其中替换 0 张).
        Assert.Equal("第 2 次提交，共 1 张，其中替换 1 张", (await RoundLineAsync(applicationId)).Detail);
        Assert.Equal(round.MissingMaterials, resubmitted.MissingMaterials());
    }

    /// <summary>The round's line (kind resubmitted, as is the entry of a replacement joining the case on its own).</summary>
    private async Task<CaseEvent> RoundLineAsync(Guid applicationId) =>
        Assert.Single(await TimelineAsync(applicationId, CaseEventKinds.Resubmitted), e => e.Detail?.StartsWith("第 ", StringComparison.Ordinal) == true);
}
