using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// A final decision closes the application at once (the final lock), even while the area holds the result until its
/// round publishes, and its approval gives a ✓ only to the images the case held: an image no reviewer saw stays without.
/// </summary>
public sealed class FinalDecisionTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly EffectiveCatalog Catalog = new(Guid.CreateVersion7(), 2027, "37", 1, CatalogParser.Parse("""
        { "title": "test", "conditions": {}, "materialTypes": [
          { "code": "id-card", "name": "有效身份证明", "description": "-", "minCount": 1, "maxCount": 3, "rule": "required" } ] }
        """).Catalog!);

    private static MaterialApplication ContinuousApplication() => new()
    {
        Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027370000000001", ExamYear = 2027, AreaCode = "37",
        SiteCode = "3701", SubmissionMode = SubmissionMode.Continuous, CreatedAt = Now,
    };

    private static MaterialImage Upload(MaterialApplication application)
    {
        var image = new MaterialImage
        {
            Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = "id-card", ObjectKey = $"originals/{Guid.NewGuid():N}",
            ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = Now,
        };
        Assert.Null(application.Upload(image, Catalog, new CandidateProfile(), Now).Refusal);
        return image;
    }

    [Fact]
    public void The_final_lock_closes_a_continuous_application_to_uploads_while_its_result_is_held()
    {
        var application = ContinuousApplication();
        var seen = Upload(application);
        Assert.Equal(ApplicationState.Submitted, application.State);
        Assert.False(application.IsLocked); // continuous mode: open to uploads while in review

        var locked = application.Lock([seen.Id], new ReviewPosition(1, 7), final: true);

        Assert.Null(locked.Refusal);
        Assert.Equal(ApplicationState.Submitted, application.State); // the result (审核通过) is not shown before the round publishes
        Assert.True(application.ClosedByDecision);
        Assert.Equal("application_locked", application.CheckUpload("id-card", Catalog, new CandidateProfile())?.Code);
        Assert.Equal("image_locked", application.CheckChange(seen.Id)?.Code);
        // Nothing follows a final decision: a return delivered late changes nothing.
        Assert.Null(application.Unlock([], "late", new ReviewPosition(1, 5)).Refusal);
        Assert.Null(application.Unlock([], "no position (an older sender)").Refusal);
        Assert.Equal(ApplicationState.Submitted, application.State);
        Assert.True(application.IsLocked);
    }

    [Fact]
    public void The_approval_gives_a_check_only_to_the_images_the_case_held()
    {
        var application = ContinuousApplication();
        var seen = Upload(application);
        // Uploaded after the case's last look, before the final lock arrived: the case never held it.
        var unseen = Upload(application);

        application.ApproveImages([seen.Id]);
        application.Lock([seen.Id], new ReviewPosition(1, 7), final: true);
        application.Approve([seen.Id]);

        Assert.Equal(ApplicationState.Approved, application.State);
        Assert.Equal(ImageLock.Approved, application.LockOf(seen));
        Assert.Equal(ImageReviewState.None, unseen.Review);
        Assert.Equal(ImageLock.Locked, application.LockOf(unseen)); // locked with the application, never ✓
        Assert.Equal("application_locked", application.CheckChange(unseen.Id)?.Code);
    }

    [Fact]
    public void An_approval_already_in_flight_without_image_ids_approves_every_image_as_before()
    {
        var application = ContinuousApplication();
        var first = Upload(application);
        var second = Upload(application);

        application.ApproveImages([]);
        Assert.All([first, second], i => Assert.Equal(ImageReviewState.Approved, i.Review));

        var other = ContinuousApplication();
        var image = Upload(other);
        other.Approve(null);
        Assert.Equal((ImageReviewState.Approved, true), (image.Review, other.ClosedByDecision));
    }

    [Fact]
    public void A_final_approval_of_a_case_that_held_no_image_gives_no_image_a_tick()
    {
        // Missing materials overridden, nothing in the case: an upload no reviewer saw must not be ✓'d with it.
        var application = ContinuousApplication();
        var unseen = Upload(application);
        application.Approve([]);
        Assert.Equal((ApplicationState.Approved, true), (application.State, application.ClosedByDecision));
        Assert.NotEqual(ImageReviewState.Approved, unseen.Review);
    }

    [Fact]
    public void A_rejection_closes_the_application_for_good()
    {
        var application = ContinuousApplication();
        Upload(application);
        application.Reject("学历不符");
        Assert.True(application.ClosedByDecision);
        Assert.Null(application.Unlock([], "late").Refusal);
        Assert.Equal(ApplicationState.Rejected, application.State);
    }
}
