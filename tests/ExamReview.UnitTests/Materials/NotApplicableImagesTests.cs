using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// Images whose material type stopped applying after they were uploaded (the candidate changed their profile, as a
/// Hunan candidate of 2017–2020 who finds they need the reduced set). Probed on the embedded run: such an image could
/// be "replaced" by a new one of the same inapplicable type, and 提交审核 locked it into the review with the rest,
/// although an upload of that type is refused (<c>material_not_applicable</c>). Now the replacement is refused the
/// same way, pointing to deletion; the submission is refused while such an image can still be deleted; deleting
/// stays allowed; locked or approved ones (the review's) block nothing.
/// </summary>
public sealed class NotApplicableImagesTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    // The graduation certificate is asked of first-time candidates only: a repeat candidate does not need one.
    private const string CatalogDocument = """
        {
          "title": "test",
          "conditions": {},
          "materialTypes": [
            { "code": "id-card", "name": "有效身份证明", "description": "正反面", "minCount": 1, "maxCount": 1, "rule": "required" },
            { "code": "diploma", "name": "毕业证书", "description": "-", "minCount": 1, "maxCount": 2,
              "rule": { "if": { "fact": "repeatCandidate", "eq": true }, "then": "not-applicable", "else": "required" } }
          ]
        }
        """;

    private static readonly EffectiveCatalog Catalog = LoadCatalog();
    private static readonly CandidateProfile FirstTime = new();
    private static readonly CandidateProfile Repeat = new() { RepeatCandidate = true, PreviousExamYear = 2019, PreviousExamArea = "43" };

    private static EffectiveCatalog LoadCatalog()
    {
        var (catalog, errors) = CatalogParser.Parse(CatalogDocument);
        Assert.True(catalog is not null, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Message}")));
        return new EffectiveCatalog(Guid.CreateVersion7(), 2027, "43", 1, catalog!);
    }

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

    /// <summary>An application filled as a first-time candidate: an ID card and a diploma.</summary>
    private static (MaterialApplication Application, MaterialImage IdCard, MaterialImage Diploma) UploadedAsFirstTime()
    {
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(),
            CandidateId = Guid.NewGuid(),
            RegistrationNumber = "2027430000000001",
            ExamYear = 2027,
            AreaCode = "43",
            SiteCode = "4301",
            SubmissionMode = SubmissionMode.Explicit,
            CreatedAt = Now,
        };
        var idCard = NewImage(application, "id-card");
        var diploma = NewImage(application, "diploma");
        Assert.Null(application.Upload(idCard, Catalog, FirstTime, Now).Refusal);
        Assert.Null(application.Upload(diploma, Catalog, FirstTime, Now).Refusal);
        return (application, idCard, diploma);
    }

    [Fact]
    public void An_image_of_a_type_that_no_longer_applies_cannot_be_replaced_but_can_be_deleted()
    {
        var (application, _, diploma) = UploadedAsFirstTime();

        var refusal = application.Replace(diploma.Id, NewImage(application, "diploma"), Catalog, Repeat, Now).Refusal;
        Assert.Equal(("material_not_applicable", RefusalKind.Unprocessable), (refusal?.Code, refusal?.Kind));
        Assert.Contains("毕业证书", refusal!.DetailZh);
        Assert.Contains("删除", refusal.DetailZh);
        Assert.Equal(refusal, application.CheckReplace(diploma.Id, Catalog, Repeat)); // the API asks before storing bytes
        Assert.Equal([diploma.Id], application.Images.Where(i => i.MaterialType == "diploma").Select(i => i.Id));

        Assert.Null(application.Delete(diploma.Id, Catalog, Repeat).Refusal);
        Assert.DoesNotContain(application.Images, i => i.MaterialType == "diploma");
    }

    [Fact]
    public void A_replacement_of_a_type_that_still_applies_is_accepted_as_before()
    {
        var (application, idCard, diploma) = UploadedAsFirstTime();

        Assert.Null(application.CheckReplace(idCard.Id, Catalog, Repeat));
        Assert.Null(application.Replace(idCard.Id, NewImage(application, "id-card"), Catalog, Repeat, Now).Refusal);
        Assert.Null(application.Replace(diploma.Id, NewImage(application, "diploma"), Catalog, FirstTime, Now).Refusal);
        // The older checks come first: an image that is not there is still image_not_found.
        Assert.Equal("image_not_found", application.CheckReplace(Guid.NewGuid(), Catalog, Repeat)?.Code);
    }

    [Fact]
    public void Submitting_is_refused_while_a_deletable_image_of_an_inapplicable_type_remains_and_accepted_once_it_is_gone()
    {
        var (application, _, diploma) = UploadedAsFirstTime();

        var refusal = application.Submit(Catalog, Repeat, Now).Refusal;
        Assert.Equal(("images_not_applicable", RefusalKind.Unprocessable), (refusal?.Code, refusal?.Kind));
        Assert.Contains("毕业证书", refusal!.DetailZh);
        Assert.Equal([diploma.Id], Assert.IsType<List<Guid>>(refusal.Facts!["imageIds"]));
        Assert.False(application.IsLocked); // nothing written

        Assert.Null(application.Delete(diploma.Id, Catalog, Repeat).Refusal);
        Assert.Null(application.Submit(Catalog, Repeat, Now).Refusal);
        Assert.Equal(1, application.SubmissionNumber);
    }

    [Fact]
    public void An_inapplicable_image_that_also_failed_its_checks_is_named_for_deletion_not_replacement()
    {
        var (application, _, diploma) = UploadedAsFirstTime();
        diploma.Validation = ValidationState.Failed;

        // "Replace the failed image" would lead to material_not_applicable: the candidate is told to delete it.
        var refusal = application.Submit(Catalog, Repeat, Now).Refusal;
        Assert.Equal("images_not_applicable", refusal?.Code);
        Assert.Equal("material_not_applicable", application.CheckReplace(diploma.Id, Catalog, Repeat)?.Code);

        // As before, a failed image of a type that still applies is to be replaced.
        Assert.Equal("images_failed_validation", application.Submit(Catalog, FirstTime, Now).Refusal?.Code);
        Assert.False(application.IsLocked);
    }

    [Fact]
    public void Reviewed_images_of_an_inapplicable_type_are_the_review_s_and_do_not_block_a_resubmission()
    {
        // Submitted as a first-time candidate; the ID card is sent back, the diploma stays locked (or approved).
        foreach (var approveDiploma in new[] { false, true })
        {
            var (application, idCard, diploma) = UploadedAsFirstTime();
            Assert.Null(application.Submit(Catalog, FirstTime, Now).Refusal);
            if (approveDiploma)
            {
                application.ApproveImages([diploma.Id]);
            }
            application.Unlock([idCard.Id], "身份证不清晰");
            Assert.Null(application.Replace(idCard.Id, NewImage(application, "id-card"), Catalog, Repeat, Now).Refusal);

            // The profile changed meanwhile: the candidate cannot delete the locked diploma, so it must not hold them up.
            Assert.NotNull(application.Delete(diploma.Id, Catalog, Repeat).Refusal);
            Assert.Null(application.Submit(Catalog, Repeat, Now).Refusal);
            Assert.Equal(2, application.SubmissionNumber);
        }
    }
}
