using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// The MaterialApplication aggregate's rules, without a database: what the candidate may upload, replace, delete
/// and submit, what the review's lock, unlock and approval do, and the messages each decision publishes.
/// </summary>
public sealed class MaterialApplicationTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    // A small catalog of its own, so these rules do not move when the seed catalog's content does.
    private const string CatalogDocument = """
        {
          "title": "test",
          "conditions": {},
          "materialTypes": [
            { "code": "id-card", "name": "有效身份证明", "description": "正反面", "minCount": 2, "maxCount": 2, "rule": "required" },
            { "code": "photo", "name": "近期免冠照片", "description": "白底", "minCount": 1, "maxCount": 1, "rule": "required" },
            { "code": "extra", "name": "其他材料", "description": "可选", "minCount": 0, "maxCount": 1, "rule": "optional" },
            { "code": "never", "name": "不适用材料", "description": "-", "minCount": 1, "maxCount": 1, "rule": "not-applicable" }
          ]
        }
        """;

    private static readonly EffectiveCatalog Catalog = LoadCatalog();
    private static readonly CandidateProfile Profile = new();

    private static EffectiveCatalog LoadCatalog()
    {
        var (catalog, errors) = CatalogParser.Parse(CatalogDocument);
        Assert.True(catalog is not null, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}")));
        return new EffectiveCatalog(Guid.CreateVersion7(), 2027, "43", 1, catalog!);
    }

    private static MaterialApplication NewApplication(SubmissionMode mode = SubmissionMode.Explicit) => new()
    {
        Id = Guid.CreateVersion7(),
        CandidateId = Guid.NewGuid(),
        RegistrationNumber = "2027430000000001",
        ExamYear = 2027,
        AreaCode = "43",
        SiteCode = "4301",
        SubmissionMode = mode,
        CreatedAt = Now,
    };

    private static MaterialImage NewImage(MaterialApplication application, string type) => new()
    {
        Id = Guid.CreateVersion7(),
        ApplicationId = application.Id,
        MaterialType = type,
        ObjectKey = $"originals/{Guid.NewGuid():N}",
        ContentType = "image/jpeg",
        Length = 1000,
        Sha256 = "00",
        UploadedAt = Now,
    };

    private static MaterialImage Upload(MaterialApplication application, string type)
    {
        var image = NewImage(application, type);
        var decision = application.Upload(image, Catalog, Profile, Now);
        Assert.Null(decision.Refusal);
        return image;
    }

    private static MaterialApplication Complete(SubmissionMode mode = SubmissionMode.Explicit)
    {
        var application = NewApplication(mode);
        Upload(application, "id-card");
        Upload(application, "id-card");
        Upload(application, "photo");
        return application;
    }

    [Fact]
    public void An_upload_is_announced_and_bumps_the_version()
    {
        var application = NewApplication();
        var image = NewImage(application, "id-card");
        var decision = application.Upload(image, Catalog, Profile, Now);

        var uploaded = Assert.IsType<MaterialUploaded>(Assert.Single(decision.Events));
        Assert.Equal((image.Id, "id-card"), (uploaded.ImageId, uploaded.MaterialType));
        Assert.Equal(1, application.Version);
        Assert.Contains(image, application.Images);
    }

    [Fact]
    public void An_upload_and_a_replacement_tell_ImageValidation_the_size_limit_they_were_accepted_under()
    {
        var application = NewApplication();
        var image = NewImage(application, "id-card");
        var raised = new MaterialImage
        {
            Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = "id-card", ObjectKey = "originals/raised",
            ContentType = "image/jpeg", Length = 600 * 1024, Sha256 = "00", UploadedAt = Now, AcceptedUnderBytes = 1024 * 1024,
        };

        var plain = Assert.IsType<MaterialUploaded>(Assert.Single(application.Upload(image, Catalog, Profile, Now).Events));
        var replaced = application.Replace(image.Id, raised, Catalog, Profile, Now).Events.OfType<MaterialUploaded>().Single();

        Assert.Null(plain.MaxFileBytes); // nothing known at intake: ImageValidation's own document limit
        Assert.Equal((raised.Id, 1024L * 1024), (replaced.ImageId, replaced.MaxFileBytes));
    }

    [Theory]
    [InlineData("unknown", "unknown_material_type", RefusalKind.Unprocessable)]
    [InlineData("never", "material_not_applicable", RefusalKind.Unprocessable)]
    public void Uploads_outside_the_candidates_checklist_are_refused(string type, string code, RefusalKind kind)
    {
        var application = NewApplication();
        var refusal = application.Upload(NewImage(application, type), Catalog, Profile, Now).Refusal;
        Assert.Equal((code, kind), (refusal?.Code, refusal?.Kind));
        Assert.Empty(application.Images);
    }

    [Fact]
    public void A_full_material_type_refuses_one_more_image_in_chinese_with_the_catalog_name()
    {
        var application = NewApplication();
        Upload(application, "photo");
        var refusal = application.CheckUpload("photo", Catalog, Profile);
        Assert.Equal("material_count_full", refusal?.Code);
        Assert.Contains("近期免冠照片", refusal!.DetailZh);
        Assert.DoesNotContain("photo", refusal.DetailZh);
    }

    [Fact]
    public void Without_a_catalog_nothing_is_uploaded_or_submitted()
    {
        var application = NewApplication();
        Assert.Equal("catalog_not_configured", application.CheckUpload("id-card", null, Profile)?.Code);
        Assert.Equal("catalog_not_configured", application.Submit(null, Profile, Now).Refusal?.Code);
    }

    [Fact]
    public void Submit_names_the_missing_materials_and_changes_nothing()
    {
        var application = NewApplication();
        Upload(application, "id-card");
        var refusal = application.Submit(Catalog, Profile, Now).Refusal;
        Assert.Equal("materials_missing", refusal?.Code);
        Assert.Contains("有效身份证明（还差 1 张）", refusal!.DetailZh);
        Assert.Contains("近期免冠照片", refusal.DetailZh);
        Assert.Equal(ApplicationState.Open, application.State);
    }

    [Fact]
    public void Submit_is_refused_while_an_image_failed_the_checks()
    {
        var application = Complete();
        var failed = application.Images[0];
        failed.Validation = ValidationState.Failed;
        var refusal = application.Submit(Catalog, Profile, Now).Refusal;
        Assert.Equal("images_failed_validation", refusal?.Code);
        Assert.Equal(new List<Guid> { failed.Id }, refusal!.Facts!["imageIds"]);
    }

    [Fact]
    public void Submit_locks_the_application_and_every_image_and_announces_the_image_set()
    {
        var application = Complete();
        var checkedImage = application.Images.First();
        Assert.True(checkedImage.RecordVerdict(passed: true, [], "copies/x"));
        var decision = application.Submit(Catalog, Profile, Now);

        Assert.Null(decision.Refusal);
        var submitted = Assert.IsType<ApplicationSubmitted>(decision.Events[0]);
        Assert.Equal(application.Images.Select(i => i.Id), submitted.ImageIds);
        Assert.Equal(1, submitted.SubmissionNumber);
        // The verdicts known here travel with it (the review may have missed one); a check still running is left out.
        Assert.Equal([(checkedImage.Id, true, false)], submitted.Checks!.Select(c => (c.ImageId, c.Passed, c.Infected)));
        Assert.IsType<MaterialsLocked>(decision.Events[1]);
        Assert.Equal((ApplicationState.Submitted, Catalog.Id), (application.State, application.CatalogId));
        Assert.True(application.IsLocked);
        // 提交审核 locks every image: each reads 已锁定 although no reviewer has looked at it yet.
        Assert.All(application.Images, i => Assert.Equal(ImageLock.Locked, application.LockOf(i)));
        Assert.All(application.Images, i => Assert.Equal("已锁定", ImageLockLabels.Zh(application.LockOf(i))));
    }

    [Fact]
    public void A_submitted_application_refuses_every_change_and_a_second_submit()
    {
        var application = Complete();
        application.Submit(Catalog, Profile, Now);
        var image = application.Images[0];

        Assert.Equal("application_locked", application.CheckUpload("extra", Catalog, Profile)?.Code);
        Assert.Equal("application_locked", application.Delete(image.Id, Catalog, Profile).Refusal?.Code);
        Assert.Equal("application_locked", application.Replace(image.Id, NewImage(application, "id-card"), Catalog, Profile, Now).Refusal?.Code);
        Assert.Equal("application_locked", application.Submit(Catalog, Profile, Now).Refusal?.Code);
    }

    [Fact]
    public void Continuous_mode_has_nothing_to_submit_and_each_upload_is_the_submission()
    {
        var application = NewApplication(SubmissionMode.Continuous);
        Assert.Equal("submission_is_continuous", application.Submit(Catalog, Profile, Now).Refusal?.Code);

        var first = application.Upload(NewImage(application, "id-card"), Catalog, Profile, Now);
        Assert.Collection(first.Events,
            e => Assert.IsType<MaterialUploaded>(e),
            e => Assert.Equal(1, Assert.IsType<ApplicationSubmitted>(e).SubmissionNumber),
            e => Assert.IsType<MaterialSubmitted>(e));
        var second = application.Upload(NewImage(application, "id-card"), Catalog, Profile, Now);
        Assert.Collection(second.Events, e => Assert.IsType<MaterialUploaded>(e), e => Assert.IsType<MaterialSubmitted>(e));
        Assert.False(application.IsLocked);
    }

    [Fact]
    public void A_replacement_removes_the_old_image_and_in_continuous_mode_names_it()
    {
        var application = Complete(SubmissionMode.Continuous);
        var old = application.Images[0];
        var replacement = NewImage(application, "id-card");
        var decision = application.Replace(old.Id, replacement, Catalog, Profile, Now);

        Assert.Null(decision.Refusal);
        Assert.DoesNotContain(old, application.Images);
        Assert.Contains(replacement, application.Images);
        Assert.Equal(old.Id, Assert.IsType<MaterialDeleted>(decision.Events[0]).ImageId);
        Assert.Equal(old.Id, decision.Events.OfType<MaterialSubmitted>().Single().ReplacesImageId);
    }

    [Fact]
    public void Reviewed_and_approved_images_cannot_change_and_unknown_ones_are_not_found()
    {
        var application = Complete(SubmissionMode.Continuous);
        application.Lock([application.Images[0].Id]);
        application.ApproveImages([application.Images[1].Id]);

        Assert.Equal("image_locked", application.Delete(application.Images[0].Id, Catalog, Profile).Refusal?.Code);
        Assert.Equal("image_approved", application.Delete(application.Images[1].Id, Catalog, Profile).Refusal?.Code);
        Assert.Equal("image_not_found", application.Delete(Guid.NewGuid(), Catalog, Profile).Refusal?.Code);
        Assert.Null(application.Delete(application.Images[2].Id, Catalog, Profile).Refusal);
    }

    [Fact]
    public void Review_steps_are_taken_in_the_review_s_order_whatever_order_they_arrive_in()
    {
        var application = Complete();
        application.Submit(Catalog, Profile, Now);
        var toReplace = application.Images[0];
        // The area's return (version 7) is applied before the site's lock (version 4) that preceded it, retried late.
        application.Unlock([toReplace.Id], "身份证反面不清晰", new ReviewPosition(1, 7));
        var stale = application.Lock([], new ReviewPosition(1, 4));

        Assert.Empty(stale.Events);
        Assert.Equal(ImageReviewState.ReplacementRequested, toReplace.Review);
        Assert.Equal(ApplicationState.Returned, application.State);

        // A data return resumed before the return itself arrives: the late return changes nothing.
        var data = Complete();
        data.Submit(Catalog, Profile, Now);
        data.ResumeAfterCorrection(new ReviewPosition(1, 9));
        data.AwaitCorrection("姓名有误", new ReviewPosition(1, 8));
        Assert.Equal(ApplicationState.Submitted, data.State);
        // In order, each takes effect; without positions (an older sender) as they arrive.
        data.AwaitCorrection("姓名有误", new ReviewPosition(1, 10));
        Assert.Equal(ApplicationState.AwaitingCorrection, data.State);
        data.ResumeAfterCorrection();
        Assert.Equal(ApplicationState.Submitted, data.State);
    }

    [Fact]
    public void A_return_naming_images_unlocks_only_those_and_shows_the_feedback_until_resubmitted()
    {
        var application = Complete();
        application.Submit(Catalog, Profile, Now);
        var toReplace = application.Images[0];
        var decision = application.Unlock([toReplace.Id], "身份证反面不清晰");

        Assert.Equal([toReplace.Id], Assert.IsType<MaterialsUnlocked>(Assert.Single(decision.Events)).ImageIds);
        Assert.Equal(ApplicationState.Returned, application.State);
        Assert.Equal(ImageLock.Open, application.LockOf(toReplace));
        Assert.All(application.Images.Skip(1), i => Assert.Equal(ImageLock.Locked, application.LockOf(i)));
        Assert.Equal("身份证反面不清晰", application.FeedbackToShow);
        // The image awaiting replacement no longer counts: the checklist misses it until the new one is in.
        Assert.Equal("materials_missing", application.Submit(Catalog, Profile, Now).Refusal?.Code);

        Assert.Null(application.Replace(toReplace.Id, NewImage(application, "id-card"), Catalog, Profile, Now).Refusal);
        Assert.Null(application.Submit(Catalog, Profile, Now).Refusal);
        Assert.Equal(2, application.SubmissionNumber);
        Assert.Null(application.FeedbackToShow); // nothing left to act on while the resubmission is reviewed
    }

    [Fact]
    public void A_return_without_names_unlocks_everything_not_approved()
    {
        var application = Complete();
        application.Submit(Catalog, Profile, Now);
        application.ApproveImages([application.Images[0].Id]);
        var decision = application.Unlock([], "请重新上传全部材料");

        Assert.Equal(2, Assert.IsType<MaterialsUnlocked>(Assert.Single(decision.Events)).ImageIds.Count);
        Assert.Equal(ImageLock.Approved, application.LockOf(application.Images[0]));
        Assert.All(application.Images.Skip(1), i => Assert.Equal(ImageLock.Open, application.LockOf(i)));
    }

    [Fact]
    public void Approval_locks_everything_for_good_clears_the_feedback_and_refuses_a_later_return()
    {
        var application = Complete();
        application.Submit(Catalog, Profile, Now);
        application.Unlock([], "补充材料");
        application.Upload(NewImage(application, "extra"), Catalog, Profile, Now);
        application.Submit(Catalog, Profile, Now);
        application.Approve();

        Assert.Equal(ApplicationState.Approved, application.State);
        Assert.All(application.Images, i => Assert.Equal(ImageLock.Approved, application.LockOf(i)));
        Assert.Null(application.FeedbackToShow);
        Assert.Equal("application_approved", application.Unlock([], "again").Refusal?.Code);
    }

    [Fact]
    public void A_rejection_locks_the_application_and_shows_its_reason()
    {
        var application = Complete();
        application.Submit(Catalog, Profile, Now);
        application.Reject("学历不符合报考条件");

        Assert.Equal(ApplicationState.Rejected, application.State);
        Assert.True(application.IsLocked);
        Assert.Equal("学历不符合报考条件", application.FeedbackToShow);
        Assert.Equal("application_locked", application.CheckUpload("extra", Catalog, Profile)?.Code);
    }

    [Fact]
    public void A_locked_image_relocks_on_review_but_an_approved_one_stays_approved()
    {
        var application = Complete();
        application.Submit(Catalog, Profile, Now);
        application.ApproveImages([application.Images[0].Id]);
        var decision = application.Lock([]);

        Assert.Equal(2, Assert.IsType<MaterialsLocked>(Assert.Single(decision.Events)).ImageIds.Count);
        Assert.Equal(ImageReviewState.Approved, application.Images[0].Review);
    }

    [Fact]
    public void Only_a_change_that_moves_a_lock_sends_the_lock_snapshot()
    {
        var application = NewApplication();
        var before = application.Locks();
        var second = Upload(application, "id-card");
        Assert.Null(application.LocksChangedSince(before)); // a new open image: MaterialUploaded says so

        Upload(application, "photo");
        before = application.Locks();
        Assert.Null(application.Delete(second.Id, Catalog, Profile).Refusal);
        Assert.Null(application.LocksChangedSince(before)); // MaterialDeleted says so

        Upload(application, "id-card");
        Upload(application, "id-card");
        before = application.Locks();
        Assert.Null(application.Submit(Catalog, Profile, Now).Refusal);
        var locked = application.LocksChangedSince(before);
        Assert.NotNull(locked);
        Assert.Equal(application.Version, locked.Version);
        Assert.Equal(3, locked.Images.Count);
        Assert.All(locked.Images, i => Assert.Equal(("Locked", "已锁定"), (i.State, i.Label)));

        var first = application.Images[0].Id;
        before = application.Locks();
        application.ApproveImages([first]);
        Assert.Equal("Approved", application.LocksChangedSince(before)?.Images.Single(i => i.ImageId == first).State);

        // A review that locks what is already locked moves nothing.
        before = application.Locks();
        application.Lock([]);
        Assert.Null(application.LocksChangedSince(before));
    }
}
