using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using MassTransit;
using Storage = ExamReview.MaterialStorage.Domain;
using StorageProfile = ExamReview.MaterialStorage.Domain.Catalogs.CandidateProfile;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// 考点通过 of a continuous-mode case that holds no image (its only upload deleted, the missing materials overridden):
/// its lock names none (<see cref="LockMaterials.ImagesNamed"/>). An image the candidate uploads while the lock is on its
/// way joins the case in area review and stays open; an empty lock used to mean "every image" to MaterialStorage and
/// locked it before any reviewer saw it.
/// </summary>
public sealed class LockInFlightRaceTests : TwoServiceRace
{
    [Fact]
    public async Task An_upload_made_while_an_empty_site_approval_s_lock_is_on_its_way_stays_open_and_reaches_the_area_reviewer()
    {
        var applicationId = await ContinuousApplicationAsync();
        var first = NewImage(applicationId, "id-card");
        await ToReviewAsync(await UploadAsync(applicationId, first));
        await ToReviewAsync(await CandidateAsync(applicationId, (a, catalog) => a.Delete(first.Id, catalog, new StorageProfile())));
        var (empty, _) = await CaseAsync(applicationId);
        Assert.Empty(CaseImageIds.Of(empty));

        var passed = await DecideAsync(applicationId, (reviewCase, rows, now) =>
            reviewCase.Approve(rows, ImageChecks.None, ReviewLevel.Site, Reviewer, now, new MissingMaterialsOverride(true, "考生已到考点现场核验原件")));
        var locking = Assert.Single(passed.Messages.OfType<LockMaterials>());
        Assert.Equal((0, true, false), (locking.ImageIds.Count, locking.ImagesNamed, locking.Final));

        // Before the lock arrives the candidate uploads again, into the round the site has just passed.
        var later = NewImage(applicationId, "id-card");
        await ToReviewAsync(await UploadAsync(applicationId, later));
        await SettleAsync(Materials.Harness, locking);

        Assert.False(await Materials.Harness.Published.Any<Fault<LockMaterials>>());
        var application = await ApplicationAsync(applicationId);
        var image = application.Images.Single(i => i.Id == later.Id);
        Assert.Equal((Storage.ImageReviewState.None, Storage.ImageLock.Open), (image.Review, application.LockOf(image)));
        Assert.Null(application.CheckChange(later.Id));
        Assert.Empty(Assert.Single(await MaterialsOutboxAsync<MaterialsLocked>()).ImageIds);
        var (areaCase, rows) = await CaseAsync(applicationId);
        Assert.Equal(CaseState.AreaReview, areaCase.State);
        Assert.Equal(ImageDecision.Pending, rows.Single(r => r.ImageId == later.Id && r.Current).Decision);
    }
}
