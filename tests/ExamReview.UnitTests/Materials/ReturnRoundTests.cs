using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// What a return's unlock sends besides the unlock itself (<see cref="MaterialApplication.Unlock"/>). A return the candidate
/// answered while it was on its way (continuous mode) opens the next round, which carries the same facts as a round opened
/// by an upload, computed by the same code: the required materials missing now and the verdicts known (it used to carry no
/// list, and the review kept the returned round's). Any other return that opens the application tells the candidate
/// (<see cref="ReturnReachedCandidate"/>, for Notification's SMS and in-app message); an answered one tells them nothing.
/// </summary>
public sealed class ReturnRoundTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset RespondBy = Now.AddDays(1);
    private const string Feedback = "有效身份证明图片：图片不清晰";

    private static EffectiveCatalog CatalogOf(int version, string extraRule) => new(Guid.CreateVersion7(), 2027, "43", version, CatalogParser.Parse($$"""
        {
          "title": "test",
          "conditions": {},
          "materialTypes": [
            { "code": "id-card", "name": "有效身份证明", "description": "正面", "minCount": 1, "maxCount": 1, "rule": "required" },
            { "code": "photo", "name": "近期免冠照片", "description": "白底", "minCount": 1, "maxCount": 1, "rule": "required" },
            { "code": "extra", "name": "其他材料", "description": "可选", "minCount": 0, "maxCount": 1, "rule": "optional" },
            { "code": "extra-2", "name": "补充证明", "description": "按考区要求", "minCount": 1, "maxCount": 1, "rule": "{{extraRule}}" }
          ]
        }
        """).Catalog!);

    private static readonly EffectiveCatalog Catalog = CatalogOf(1, "optional");
    private static readonly CandidateProfile Profile = new();
    private static readonly RoundFacts Facts = new(Catalog, Profile);

    /// <summary>Round 1 in review: an ID card and a photo (the photo's check passed), in the given mode.</summary>
    private static MaterialApplication InReview(SubmissionMode mode = SubmissionMode.Continuous)
    {
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430000000001", ExamYear = 2027,
            AreaCode = "43", SiteCode = "4301", SubmissionMode = mode, CreatedAt = Now,
        };
        Upload(application, "id-card");
        Upload(application, "photo");
        Assert.True(Image(application, "photo").RecordVerdict(true, [], "copies/photo"));
        if (mode == SubmissionMode.Explicit)
        {
            Assert.True(Image(application, "id-card").RecordVerdict(true, [], "copies/id"));
            Assert.Null(application.Submit(Catalog, Profile, Now).Refusal);
        }
        Assert.Equal((ApplicationState.Submitted, 1), (application.State, application.SubmissionNumber));
        return application;
    }

    private static Decision Upload(MaterialApplication application, string type, DateTimeOffset? at = null)
    {
        var image = new MaterialImage
        {
            Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = type, ObjectKey = $"originals/{Guid.NewGuid():N}",
            ContentType = "image/jpeg", Length = 1000, Sha256 = "00", UploadedAt = at ?? Now,
        };
        var decision = application.Upload(image, Catalog, Profile, at ?? Now);
        Assert.Null(decision.Refusal);
        return decision;
    }

    private static MaterialImage Image(MaterialApplication application, string type) => application.Images.Single(i => i.MaterialType == type);

    private static Decision Unlock(MaterialApplication application, Guid asked, Guid[] caseImages, ReviewPosition? position = null, RoundFacts? facts = null,
        ReturnNotice? notice = null) =>
        application.Unlock([asked], Feedback, position ?? new ReviewPosition(1, 6), caseImageIds: caseImages, facts: facts ?? Facts, notice: notice);

    [Fact]
    public void A_round_opened_by_the_unlock_carries_what_the_same_writes_after_the_unlock_would_have_submitted()
    {
        // In transit: the candidate deletes the ID card asked for and uploads an optional image while the page reads 审核中.
        var inTransit = InReview();
        var (idCard, photo) = (Image(inTransit, "id-card").Id, Image(inTransit, "photo").Id);
        Assert.Null(inTransit.Delete(idCard, Catalog, Profile).Refusal);
        var upload = Upload(inTransit, "extra", Now.AddMinutes(3));
        var opened = Unlock(inTransit, idCard, [idCard, photo]);

        // After the unlock: the same two writes; the upload opens round 2 as every continuous-mode round opens.
        var after = InReview();
        var (afterIdCard, afterPhoto) = (Image(after, "id-card").Id, Image(after, "photo").Id);
        Assert.Single(Unlock(after, afterIdCard, [afterIdCard, afterPhoto]).Events);
        Assert.Null(after.Delete(afterIdCard, Catalog, Profile).Refusal);
        var submitted = Assert.Single(Upload(after, "extra", Now.AddMinutes(3)).Events.OfType<ApplicationSubmitted>());

        var round = Assert.IsType<ApplicationSubmitted>(opened.Events[1]);
        Assert.Equal(["有效身份证明"], round.MissingMaterials);
        Assert.Equal(submitted.MissingMaterials, round.MissingMaterials);
        Assert.Equal(Assert.Single(upload.Events.OfType<MaterialSubmitted>()).MissingMaterials, round.MissingMaterials);
        Assert.Equal(submitted.Checks!.Select(c => (c.Passed, c.Infected)), round.Checks!.Select(c => (c.Passed, c.Infected)));
        Assert.Equal(photo, Assert.Single(round.Checks!).ImageId);
        Assert.Equal((2, 2, Now.AddMinutes(3)), (round.SubmissionNumber, submitted.SubmissionNumber, round.SubmittedAt));
        Assert.Equal((Catalog.Id, Catalog.Id), (inTransit.CatalogId, after.CatalogId));
    }

    [Fact]
    public void The_round_is_measured_against_the_catalog_that_governs_the_application_when_the_unlock_arrives()
    {
        var application = InReview();
        var (idCard, photo) = (Image(application, "id-card").Id, Image(application, "photo").Id);
        Assert.Null(application.Replace(idCard, new MaterialImage
        {
            Id = Guid.CreateVersion7(), ApplicationId = application.Id, MaterialType = "id-card", ObjectKey = "originals/new", ContentType = "image/jpeg",
            Length = 1000, Sha256 = "00", UploadedAt = Now.AddMinutes(2),
        }, Catalog, Profile, Now.AddMinutes(2)).Refusal);
        // The area published version 2 meanwhile, which requires 补充证明: the round says so, as the next upload's would.
        var published = CatalogOf(2, "required");

        var round = Assert.IsType<ApplicationSubmitted>(Unlock(application, idCard, [idCard, photo], facts: new RoundFacts(published, Profile)).Events[1]);

        Assert.Equal(["补充证明"], round.MissingMaterials);
        Assert.Equal(application.MissingMaterials(published, Profile), round.MissingMaterials);
        Assert.Equal(published.Id, application.CatalogId);
    }

    [Fact]
    public void An_unlock_that_would_open_a_round_without_its_facts_is_a_programming_error_not_a_round_without_a_list()
    {
        var application = InReview();
        var (idCard, photo) = (Image(application, "id-card").Id, Image(application, "photo").Id);
        Assert.Null(application.Delete(idCard, Catalog, Profile).Refusal);
        Upload(application, "extra");

        Assert.Throws<InvalidOperationException>(() =>
            application.Unlock([idCard], Feedback, new ReviewPosition(1, 6), caseImageIds: [idCard, photo]));
    }

    [Fact]
    public void A_return_that_opens_the_application_tells_the_candidate_once_with_its_feedback_and_deadline()
    {
        foreach (var mode in new[] { SubmissionMode.Continuous, SubmissionMode.Explicit })
        {
            var application = InReview(mode);
            var (idCard, photo) = (Image(application, "id-card").Id, Image(application, "photo").Id);
            var caseId = Guid.NewGuid();

            var unlocked = Unlock(application, idCard, [idCard, photo], notice: new ReturnNotice(caseId, RespondBy));

            Assert.Equal(2, unlocked.Events.Count);
            Assert.IsType<MaterialsUnlocked>(unlocked.Events[0]);
            Assert.Equal(new ReturnReachedCandidate(caseId, application.Id, application.CandidateId, "43", Feedback, RespondBy), unlocked.Events[1]);
            Assert.Equal(ApplicationState.Returned, application.State);
        }
    }

    [Fact]
    public void A_return_answered_in_transit_an_older_step_or_one_after_the_final_decision_tells_the_candidate_nothing()
    {
        var notice = new ReturnNotice(Guid.NewGuid(), RespondBy);

        // Answered in transit: the next round starts, and the candidate has nothing to be told to do.
        var answered = InReview();
        var (idCard, photo) = (Image(answered, "id-card").Id, Image(answered, "photo").Id);
        Assert.Null(answered.Delete(idCard, Catalog, Profile).Refusal);
        Upload(answered, "extra");
        var opened = Unlock(answered, idCard, [idCard, photo], notice: notice);
        Assert.Equal(new[] { typeof(MaterialsUnlocked), typeof(ApplicationSubmitted) }, opened.Events.Select(e => e.GetType()));

        // A later step was taken already: the unlock changes nothing, so nothing reached the candidate.
        var overtaken = InReview();
        var overtakenIds = overtaken.Images.Select(i => i.Id).ToList();
        Assert.Null(overtaken.Lock(overtakenIds, new ReviewPosition(1, 7), named: true).Refusal);
        Assert.Empty(Unlock(overtaken, overtakenIds[0], [.. overtakenIds], notice: notice).Events);

        // After the final decision's lock.
        var decided = InReview();
        var decidedIds = decided.Images.Select(i => i.Id).ToList();
        Assert.Null(decided.Lock(decidedIds, null, final: true, named: true).Refusal);
        Assert.Empty(Unlock(decided, decidedIds[0], [.. decidedIds], position: new ReviewPosition(1, 9), notice: notice).Events);

        // An older sender asks for no notice: Notification words the return from ApplicationReturned, as before.
        var older = InReview();
        var olderIds = older.Images.Select(i => i.Id).ToList();
        Assert.IsType<MaterialsUnlocked>(Assert.Single(Unlock(older, olderIds[0], [.. olderIds]).Events));
    }
}
