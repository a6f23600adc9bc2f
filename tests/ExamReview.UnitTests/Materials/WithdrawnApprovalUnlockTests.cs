using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// An approved image (✓) is locked for good, except when the review withdraws its ✓ because its check failed after it:
/// the return then names it, and the unlock opens it for replacement. A return that does not name it leaves the ✓.
/// </summary>
public sealed class WithdrawnApprovalUnlockTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly EffectiveCatalog Catalog = new(Guid.CreateVersion7(), 2027, "43", 1, CatalogParser.Parse("""
        { "title": "test", "conditions": {}, "materialTypes": [
          { "code": "id-card", "name": "有效身份证明", "description": "-", "minCount": 2, "maxCount": 2, "rule": "required" } ] }
        """).Catalog!);

    private static MaterialImage NewImage(MaterialApplication application) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = "id-card", ObjectKey = $"originals/{Guid.NewGuid():N}",
        ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = Now,
    };

    /// <summary>Submitted, both images ✓ after passing their checks, then the first found infected by newer signatures.</summary>
    private static MaterialApplication ApprovedThenInfected()
    {
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430000000001", ExamYear = 2027,
            AreaCode = "43", SiteCode = "4301", CreatedAt = Now,
        };
        foreach (var _ in new[] { 1, 2 })
        {
            var image = NewImage(application);
            Assert.Null(application.Upload(image, Catalog, new CandidateProfile(), Now).Refusal);
            Assert.True(image.RecordVerdict(true, [], null));
        }
        Assert.Null(application.Submit(Catalog, new CandidateProfile(), Now).Refusal);
        application.ApproveImages(application.Images.Select(i => i.Id).ToList());
        Assert.True(application.Images[0].RecordVerdict(false, [new ValidationFinding(ValidationFindingCodes.MalwareDetected, "恶意文件", "malicious", null, "Eicar")], null));
        return application;
    }

    [Fact]
    public void A_return_naming_an_approved_image_unlocks_it_for_replacement_and_the_other_tick_stays()
    {
        var application = ApprovedThenInfected();
        var (infected, other) = (application.Images[0], application.Images[1]);
        Assert.Equal("image_approved", application.CheckChange(infected.Id)?.Code);
        var locks = application.Locks();

        var unlocked = application.Unlock([infected.Id], "有效身份证明图片：检测未通过，请重新上传", new ReviewPosition(1, 9));

        Assert.Null(unlocked.Refusal);
        Assert.Equal([infected.Id], Assert.IsType<MaterialsUnlocked>(Assert.Single(unlocked.Events)).ImageIds);
        Assert.Equal((ImageReviewState.ReplacementRequested, ImageLock.Open), (infected.Review, application.LockOf(infected)));
        Assert.Equal((ImageReviewState.Approved, ImageLock.Approved), (other.Review, application.LockOf(other)));
        Assert.Equal(ApplicationState.Returned, application.State);
        // The review's view learns the lock moved (MaterialLocksChanged), and the candidate replaces and resubmits.
        Assert.Contains(Assert.IsType<MaterialLocksChanged>(application.LocksChangedSince(locks)).Images, i => i.ImageId == infected.Id && i.State == "Open");
        Assert.Null(application.CheckChange(infected.Id));
        Assert.Null(application.Replace(infected.Id, NewImage(application), Catalog, new CandidateProfile(), Now).Refusal);
        Assert.Null(application.Submit(Catalog, new CandidateProfile(), Now).Refusal);
        Assert.Equal("image_approved", application.CheckChange(other.Id)?.Code);
    }

    [Fact]
    public void A_return_naming_no_image_leaves_every_tick_even_a_failed_one()
    {
        var application = ApprovedThenInfected();

        var unlocked = application.Unlock([], "请补充材料", new ReviewPosition(1, 9));

        Assert.Empty(Assert.IsType<MaterialsUnlocked>(Assert.Single(unlocked.Events)).ImageIds);
        Assert.All(application.Images, i => Assert.Equal(ImageLock.Approved, application.LockOf(i)));
    }

    [Fact]
    public void A_province_s_return_names_no_image_but_reopens_the_withdrawn_tick_and_unlocks_every_image_not_approved()
    {
        var application = ApprovedThenInfected();
        var (infected, other) = (application.Images[0], application.Images[1]);

        var unlocked = application.Unlock([], "退回原因：图片不清晰。\n另有 1 张已通过的图片之后检测未通过，请重新上传。", new ReviewPosition(1, 9),
            caseImageIds: [infected.Id, other.Id], withdrawn: [infected.Id]);

        Assert.Equal([infected.Id], Assert.IsType<MaterialsUnlocked>(Assert.Single(unlocked.Events)).ImageIds);
        Assert.Equal((ImageReviewState.ReplacementRequested, ImageLock.Open), (infected.Review, application.LockOf(infected)));
        Assert.Equal((ImageReviewState.Approved, ImageLock.Approved), (other.Review, application.LockOf(other)));
        Assert.Null(application.Replace(infected.Id, NewImage(application), Catalog, new CandidateProfile(), Now).Refusal);
        Assert.Null(application.Submit(Catalog, new CandidateProfile(), Now).Refusal);
    }
}
