using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// A review lock locks the images it names (<see cref="LockMaterials.ImagesNamed"/>, every current sender), none when it
/// names none; only a lock from a sender before that field reads an empty list as every image of the application.
/// </summary>
public sealed class NamedLockTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly EffectiveCatalog Catalog = new(Guid.CreateVersion7(), 2027, "43", 1, CatalogParser.Parse("""
        { "title": "test", "conditions": {}, "materialTypes": [
          { "code": "id-card", "name": "有效身份证明", "description": "-", "minCount": 1, "maxCount": 2, "rule": "required" } ] }
        """).Catalog!);

    /// <summary>A continuous-mode application in review whose images are all open (<paramref name="images"/> of them).</summary>
    private static MaterialApplication InReview(int images)
    {
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430000000001", ExamYear = 2027,
            AreaCode = "43", SiteCode = "4301", SubmissionMode = SubmissionMode.Continuous, CreatedAt = Now,
        };
        for (var i = 0; i < images; i++)
        {
            Assert.Null(application.Upload(new MaterialImage
            {
                Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = "id-card", ObjectKey = $"originals/{Guid.NewGuid():N}",
                ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = Now,
            }, Catalog, new CandidateProfile(), Now).Refusal);
        }
        return application;
    }

    [Fact]
    public void A_named_empty_lock_locks_nothing_and_an_image_uploaded_meanwhile_stays_open()
    {
        var application = InReview(1); // uploaded after the case, which held none, was passed by the site
        var image = application.Images[0];

        var locked = application.Lock([], new ReviewPosition(1, 5), named: true);

        Assert.Empty(Assert.IsType<MaterialsLocked>(Assert.Single(locked.Events)).ImageIds);
        Assert.Equal((ImageReviewState.None, ImageLock.Open), (image.Review, application.LockOf(image)));
        Assert.Null(application.CheckChange(image.Id));
        // The step is taken all the same: an older unlock arriving after it changes nothing.
        Assert.Empty(application.Unlock([], "迟到的退回", new ReviewPosition(1, 4)).Events);
        Assert.Equal(ApplicationState.Submitted, application.State);
    }

    [Fact]
    public void A_named_lock_locks_the_images_named_and_no_other()
    {
        var application = InReview(2);
        var (seen, later) = (application.Images[0], application.Images[1]);

        application.Lock([seen.Id], new ReviewPosition(1, 5), named: true);

        Assert.Equal((ImageLock.Locked, ImageLock.Open), (application.LockOf(seen), application.LockOf(later)));
    }

    [Fact]
    public void An_empty_lock_from_an_older_sender_still_locks_every_image()
    {
        var application = InReview(2);

        var locked = application.Lock([], new ReviewPosition(1, 5));

        Assert.Equal(2, Assert.IsType<MaterialsLocked>(Assert.Single(locked.Events)).ImageIds.Count);
        Assert.All(application.Images, i => Assert.Equal(ImageLock.Locked, application.LockOf(i)));
    }

    [Fact]
    public void A_named_empty_final_lock_closes_the_application_without_reviewing_any_image()
    {
        var application = InReview(1);
        var image = application.Images[0];

        application.Lock([], new ReviewPosition(1, 9), final: true, named: true);

        Assert.True(application.ClosedByDecision);
        Assert.Equal((ImageReviewState.None, ImageLock.Locked), (image.Review, application.LockOf(image)));
        Assert.Equal("application_locked", application.CheckChange(image.Id)?.Code);
        application.Approve([]);
        Assert.Equal((ApplicationState.Approved, ImageReviewState.None), (application.State, image.Review)); // no ✓ for an image nobody saw
    }
}
