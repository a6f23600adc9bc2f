using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// Continuous mode: a return's unlock applied after an upload the candidate made while it was on its way. The unlock
/// names the images the review case held (<see cref="UnlockMaterials.CaseImageIds"/>) and settles those only, so the
/// later upload, which no reviewer has seen, stays open and goes to the next round. Without the names (an older sender)
/// it locked that upload, and the candidate could neither replace nor delete it.
/// </summary>
public sealed class UnlockInFlightTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private const string CatalogDocument = """
        {
          "title": "test",
          "conditions": {},
          "materialTypes": [
            { "code": "id-card", "name": "有效身份证明", "description": "正面", "minCount": 1, "maxCount": 1, "rule": "required" },
            { "code": "photo", "name": "近期免冠照片", "description": "白底", "minCount": 1, "maxCount": 1, "rule": "required" },
            { "code": "extra", "name": "其他材料", "description": "可选", "minCount": 0, "maxCount": 1, "rule": "optional" }
          ]
        }
        """;

    private static readonly EffectiveCatalog Catalog = new(Guid.CreateVersion7(), 2027, "43", 1, CatalogParser.Parse(CatalogDocument).Catalog!);
    private static readonly CandidateProfile Profile = new();
    private static readonly RoundFacts Facts = new(Catalog, Profile);

    /// <summary>A continuous-mode application in review (round 1): an ID card and a photo, both still open.</summary>
    private static MaterialApplication InReview()
    {
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430000000001", ExamYear = 2027,
            AreaCode = "43", SiteCode = "4301", SubmissionMode = SubmissionMode.Continuous, CreatedAt = Now,
        };
        Upload(application, "id-card");
        Upload(application, "photo");
        Assert.Equal((ApplicationState.Submitted, 1), (application.State, application.SubmissionNumber));
        return application;
    }

    private static MaterialImage NewImage(MaterialApplication application, string type) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = type, ObjectKey = $"originals/{Guid.NewGuid():N}",
        ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = Now,
    };

    private static Decision Upload(MaterialApplication application, string type)
    {
        var decision = application.Upload(NewImage(application, type), Catalog, Profile, Now);
        Assert.Null(decision.Refusal);
        return decision;
    }

    private static MaterialImage Image(MaterialApplication application, string type) => application.Images.Single(i => i.MaterialType == type);

    [Fact]
    public void An_upload_made_while_the_return_was_on_its_way_stays_open_and_the_candidate_s_next_write_submits_it()
    {
        var application = InReview();
        var (idCard, photo) = (Image(application, "id-card"), Image(application, "photo"));
        // The reviewer's return (ID card to replace) is decided; before it arrives the candidate uploads one more image,
        // still into round 1.
        var upload = Upload(application, "extra");
        Assert.Equal(1, Assert.Single(upload.Events.OfType<MaterialSubmitted>()).SubmissionNumber);
        var extra = Image(application, "extra");

        var unlocked = application.Unlock([idCard.Id], "有效身份证明图片：图片不清晰", new ReviewPosition(1, 6), caseImageIds: [idCard.Id, photo.Id]);

        Assert.Equal([idCard.Id], Assert.IsType<MaterialsUnlocked>(Assert.Single(unlocked.Events)).ImageIds);
        Assert.Equal(ApplicationState.Returned, application.State);
        Assert.Equal((ImageLock.Open, ImageReviewState.ReplacementRequested), (application.LockOf(idCard), idCard.Review));
        Assert.Equal(ImageLock.Locked, application.LockOf(photo)); // reviewed with the return
        Assert.Equal((ImageLock.Open, ImageReviewState.None), (application.LockOf(extra), extra.Review));
        Assert.Null(application.CheckChange(extra.Id));

        // Replacing the ID card opens round 2, which lists the later upload with everything else.
        var replaced = application.Replace(idCard.Id, NewImage(application, "id-card"), Catalog, Profile, Now.AddMinutes(5));
        Assert.Null(replaced.Refusal);
        var round = Assert.Single(replaced.Events.OfType<ApplicationSubmitted>());
        Assert.Equal(2, round.SubmissionNumber);
        Assert.Contains(extra.Id, round.ImageIds);
    }

    [Fact]
    public void A_replacement_made_while_the_return_was_on_its_way_stays_replaceable_where_an_older_unlock_locked_it_for_good()
    {
        // The candidate replaced the ID card in place (it was open, unreviewed) after the reviewer asked for it again, and
        // before the return arrived: the unlock names an image that is gone.
        static (MaterialApplication Application, Guid Asked, MaterialImage Replacement) Replaced()
        {
            var application = InReview();
            var asked = Image(application, "id-card").Id;
            var replacement = NewImage(application, "id-card");
            Assert.Null(application.Replace(asked, replacement, Catalog, Profile, Now).Refusal);
            return (application, asked, replacement);
        }

        var (named, asked, replacement) = Replaced();
        named.Unlock([asked], "有效身份证明图片：图片不清晰", new ReviewPosition(1, 6), caseImageIds: [asked, Image(named, "photo").Id], facts: Facts);
        Assert.Equal((ApplicationState.Submitted, 2), (named.State, named.SubmissionNumber)); // it answered the return: round 2 opens with the unlock
        Assert.Equal(ImageLock.Open, named.LockOf(replacement));
        Assert.Null(named.CheckChange(replacement.Id));
        Assert.Null(named.Replace(replacement.Id, NewImage(named, "id-card"), Catalog, Profile, Now.AddMinutes(5)).Refusal);
        Assert.Equal(2, named.SubmissionNumber);

        // An unlock from a sender before the names settles every image not approved: the unseen replacement locks and takes
        // the ID card's only slot, so the candidate could move on only by uploading into another material type.
        var (older, olderAsked, lockedReplacement) = Replaced();
        older.Unlock([olderAsked], "有效身份证明图片：图片不清晰", new ReviewPosition(1, 6));
        Assert.Equal(ImageLock.Locked, older.LockOf(lockedReplacement));
        Assert.Equal("image_locked", older.CheckChange(lockedReplacement.Id)?.Code);
        Assert.Equal("material_count_full", older.CheckUpload("id-card", Catalog, Profile)?.Code);
    }

    [Fact]
    public void A_return_naming_no_image_unlocks_what_the_case_held_and_leaves_a_later_upload_as_it_was()
    {
        var application = InReview();
        var (idCard, photo) = (Image(application, "id-card"), Image(application, "photo"));
        application.ApproveImages([photo.Id]);
        Upload(application, "extra");
        var extra = Image(application, "extra");

        var unlocked = application.Unlock([], "请补充材料", new ReviewPosition(1, 6), caseImageIds: [idCard.Id, photo.Id]);

        Assert.Equal([idCard.Id], Assert.IsType<MaterialsUnlocked>(Assert.Single(unlocked.Events)).ImageIds);
        Assert.Equal((ImageLock.Open, ImageLock.Approved, ImageLock.Open), (application.LockOf(idCard), application.LockOf(photo), application.LockOf(extra)));
    }

    [Fact]
    public void A_replacement_of_every_image_asked_for_made_while_the_return_was_on_its_way_answers_it_and_opens_the_next_round()
    {
        var application = InReview();
        var (idCard, photo) = (Image(application, "id-card"), Image(application, "photo"));
        var replacement = NewImage(application, "id-card");
        replacement.UploadedAt = Now.AddMinutes(3);
        var replaced = application.Replace(idCard.Id, replacement, Catalog, Profile, Now.AddMinutes(3));
        Assert.DoesNotContain(replaced.Events, e => e is ApplicationSubmitted); // still round 1: the page read 审核中

        var unlocked = application.Unlock([idCard.Id], "有效身份证明图片：图片不清晰", new ReviewPosition(1, 6), caseImageIds: [idCard.Id, photo.Id], facts: Facts);

        Assert.Empty(Assert.IsType<MaterialsUnlocked>(unlocked.Events[0]).ImageIds);
        var round = Assert.IsType<ApplicationSubmitted>(Assert.Single(unlocked.Events.Skip(1)));
        Assert.Equal((2, Now.AddMinutes(3)), (round.SubmissionNumber, round.SubmittedAt));
        Assert.Equal(new[] { photo.Id, replacement.Id }.Order(), round.ImageIds.Order());
        Assert.NotNull(round.MissingMaterials); // measured as an upload's round is (ReturnRoundTests): nothing required is missing
        Assert.Empty(round.MissingMaterials);
        Assert.Equal((ApplicationState.Submitted, 2), (application.State, application.SubmissionNumber));
        Assert.Equal((ImageLock.Open, ImageLock.Locked), (application.LockOf(replacement), application.LockOf(photo)));
        // The candidate's next upload is part of round 2, not a round of its own.
        Assert.DoesNotContain(Upload(application, "extra").Events, e => e is ApplicationSubmitted);
    }

    [Fact]
    public void A_return_is_not_answered_in_transit_while_an_image_it_asks_for_is_still_there_or_when_it_asks_for_none()
    {
        // The upload made meanwhile is another material: the ID card still awaits its replacement.
        var unrelated = InReview();
        var (idCard, photo) = (Image(unrelated, "id-card"), Image(unrelated, "photo"));
        Upload(unrelated, "extra");
        Assert.Single(unrelated.Unlock([idCard.Id], "有效身份证明图片：图片不清晰", new ReviewPosition(1, 6), caseImageIds: [idCard.Id, photo.Id]).Events);
        Assert.Equal((ApplicationState.Returned, 1), (unrelated.State, unrelated.SubmissionNumber));

        // A return naming no image asks for nothing a write could be seen to answer.
        var unnamed = InReview();
        var asked = Image(unnamed, "id-card").Id;
        Assert.Null(unnamed.Replace(asked, NewImage(unnamed, "id-card"), Catalog, Profile, Now).Refusal);
        Assert.Single(unnamed.Unlock([], "请补充材料", new ReviewPosition(1, 6), caseImageIds: [asked, Image(unnamed, "photo").Id]).Events);
        Assert.Equal(ApplicationState.Returned, unnamed.State);

        // Nothing was uploaded meanwhile (the ID card only deleted): continuous mode opens a round with an upload, not a deletion.
        var deleted = InReview();
        var gone = Image(deleted, "id-card").Id;
        Assert.Null(deleted.Delete(gone, Catalog, Profile).Refusal);
        Assert.Single(deleted.Unlock([gone], "有效身份证明图片：图片不清晰", new ReviewPosition(1, 6), caseImageIds: [gone, Image(deleted, "photo").Id]).Events);
        Assert.Equal(ApplicationState.Returned, deleted.State);
    }
}
