using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.MaterialStorage.Domain;

/// <summary>
/// The candidate's writes: upload, replace, delete, 提交审核. Each method checks the rules on the state as
/// loaded and either refuses or changes the application and returns the messages to publish with the change.
/// The API runs them on a fresh read after a lost optimistic-concurrency race, so every check is repeated.
/// </summary>
public sealed partial class MaterialApplication
{
    /// <summary>Whether an image of <paramref name="materialType"/> may go in now; the API asks before it stores any bytes.</summary>
    public Refusal? CheckUpload(string materialType, EffectiveCatalog? catalog, CandidateProfile profile)
    {
        if (IsLocked)
        {
            return MaterialRefusals.Locked(this, "审核期间材料已锁定，不能再上传。", "The application is locked for review; no upload is accepted.");
        }
        if (catalog is null)
        {
            return MaterialRefusals.CatalogMissing(this);
        }
        var type = catalog.Catalog.Find(materialType);
        if (type is null)
        {
            return new Refusal(RefusalKind.Unprocessable, "unknown_material_type",
                $"本考区的材料目录中没有“{ProblemText.Echo(materialType)}”这一材料类型。", $"Material type '{ProblemText.Echo(materialType)}' is not in this area's catalog.");
        }
        var requirement = catalog.Catalog.Evaluate(type, profile);
        if (!requirement.Applies)
        {
            return new Refusal(RefusalKind.Unprocessable, "material_not_applicable",
                $"{type.Name}不适用于您的情况；如有误，请在报名系统中更新个人信息。",
                $"{type.Name} ({type.Code}) does not apply to your situation; update your profile in the registration system if it should.");
        }
        var uploaded = Images.Count(i => i.MaterialType == type.Code);
        return uploaded >= requirement.MaxCount
            ? new Refusal(RefusalKind.Conflict, "material_count_full",
                $"{type.Name}已上传 {uploaded} 张（最多 {requirement.MaxCount} 张），请先删除一张再上传。",
                $"{type.Name} already has {uploaded} of {requirement.MaxCount} images; delete one to upload another.")
            : null;
    }

    /// <summary>Adds a stored image (its bytes already checked by <see cref="ImageIntake"/>) if the rules still allow it.</summary>
    public Decision Upload(MaterialImage image, EffectiveCatalog? catalog, CandidateProfile profile, DateTimeOffset now)
    {
        if (CheckUpload(image.MaterialType, catalog, profile) is { } refusal)
        {
            return refusal;
        }
        return Decision.Accept([.. Add(image, catalog, profile, now)]);
    }

    /// <summary>Whether the candidate may still delete or replace this image, or why not.</summary>
    public Refusal? CheckChange(Guid imageId)
    {
        var image = Images.SingleOrDefault(i => i.Id == imageId);
        if (image is null)
        {
            return MaterialRefusals.ImageNotFound(imageId);
        }
        if (image.Review == ImageReviewState.Approved)
        {
            return new Refusal(RefusalKind.Conflict, "image_approved", "该图片已审核通过（✓），永久锁定。", "This image is approved (✓) and locked for good.");
        }
        if (image.IsLocked)
        {
            return new Refusal(RefusalKind.Conflict, "image_locked", "该图片已经审核并锁定，不能删除或更换。",
                "This image has been reviewed and is locked; it cannot be deleted or replaced.");
        }
        return IsLocked
            ? MaterialRefusals.Locked(this, "审核期间材料已锁定，不能删除或更换图片。", "The application is locked for review; images cannot be deleted or replaced.")
            : null;
    }

    /// <summary>
    /// Whether the candidate may replace this image, or why not: as <see cref="CheckChange"/>, and its material type
    /// must still apply. A profile change (or a new catalog version) can leave images of a type the candidate's
    /// situation no longer asks for; an upload of that type is refused (<c>material_not_applicable</c>), and so is a
    /// replacement, which would put a new image of it in front of the reviewers. Deleting it stays allowed.
    /// </summary>
    public Refusal? CheckReplace(Guid imageId, EffectiveCatalog? catalog, CandidateProfile profile)
    {
        if (CheckChange(imageId) is { } refusal)
        {
            return refusal;
        }
        var image = Images.Single(i => i.Id == imageId);
        return StillApplies(image.MaterialType, catalog, profile) ? null : NotApplicable(image.MaterialType, catalog,
            "{0}不适用于您的情况，无需更换：请删除这张图片；如有误，请在报名系统中更新个人信息。",
            "{0} does not apply to your situation, so there is nothing to replace: delete this image, or update your profile in the registration system if it should apply.");
    }

    /// <summary>Whether the catalog still asks this candidate for <paramref name="materialType"/> (without a catalog nothing can be judged, so it does).</summary>
    private static bool StillApplies(string materialType, EffectiveCatalog? catalog, CandidateProfile profile) =>
        catalog is null || (catalog.Catalog.Find(materialType) is { } type && catalog.Catalog.Evaluate(type, profile).Applies);

    private static Refusal NotApplicable(string materialType, EffectiveCatalog? catalog, string zh, string en)
    {
        var name = catalog?.Catalog.Find(materialType)?.Name ?? materialType;
        return new Refusal(RefusalKind.Unprocessable, "material_not_applicable", string.Format(System.Globalization.CultureInfo.InvariantCulture, zh, name),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, en, name));
    }

    /// <summary>
    /// Puts <paramref name="replacement"/> (a new id, so no verdict or review of the old bytes attaches to it) in
    /// place of an image. In continuous mode the replacement names the image it replaces, so the review case
    /// links the two as a resubmission instead of keeping the old image as an unreviewed entry.
    /// </summary>
    public Decision Replace(Guid imageId, MaterialImage replacement, EffectiveCatalog? catalog, CandidateProfile profile, DateTimeOffset now)
    {
        if (CheckReplace(imageId, catalog, profile) is { } refusal)
        {
            return refusal;
        }
        var old = Images.Single(i => i.Id == imageId);
        if (replacement.MaterialType != old.MaterialType)
        {
            throw new InvalidOperationException("A replacement keeps the material type of the image it replaces.");
        }
        Images.Remove(old);
        List<object> events = [new MaterialDeleted(old.Id, Id, CandidateId)];
        events.AddRange(Add(replacement, catalog, profile, now, replaces: old.Id));
        return Decision.Accept([.. events]);
    }

    /// <summary>Deletes an image; in continuous mode the review case learns what the application now misses.</summary>
    public Decision Delete(Guid imageId, EffectiveCatalog? catalog, CandidateProfile profile)
    {
        if (CheckChange(imageId) is { } refusal)
        {
            return refusal;
        }
        var image = Images.Single(i => i.Id == imageId);
        Images.Remove(image);
        Touch();
        return Decision.Accept(new MaterialDeleted(image.Id, Id, CandidateId)
        {
            MissingMaterials = SubmissionMode == SubmissionMode.Continuous ? MissingMaterials(catalog, profile) : null,
        });
    }

    /// <summary>
    /// 提交审核 (explicit mode): every required material present, every image passed the checks and none awaits
    /// replacement; then the application and every image lock, against the catalog it was submitted under.
    /// </summary>
    public Decision Submit(EffectiveCatalog? catalog, CandidateProfile profile, DateTimeOffset now)
    {
        if (IsLocked)
        {
            return MaterialRefusals.Locked(this, "材料已提交审核并锁定。", "The application is already submitted and locked.");
        }
        if (SubmissionMode == SubmissionMode.Continuous)
        {
            return new Refusal(RefusalKind.Conflict, "submission_is_continuous",
                "本考区采用随传随审（每次上传即提交），无需再提交审核。",
                "This exam area submits each upload at once (continuous mode); there is nothing to submit.");
        }
        if (catalog is null)
        {
            return MaterialRefusals.CatalogMissing(this);
        }
        var missing = Checklists.For(catalog.Catalog, profile, Images).Where(c => c.Missing > 0).ToList();
        if (missing.Count > 0)
        {
            return new Refusal(RefusalKind.Unprocessable, "materials_missing",
                "以下必传材料尚未上传：" + string.Join("；", missing.Select(m => $"{m.Requirement.Type.Name}（还差 {m.Missing} 张）")),
                "Required materials are missing: " + string.Join("; ", missing.Select(m => $"{m.Requirement.Type.Name} ({m.Missing} more)")),
                new Dictionary<string, object?> { ["missing"] = missing.Select(m => new { materialType = m.Requirement.Type.Code, name = m.Requirement.Type.Name, m.Missing }).ToList() });
        }
        // Images the candidate can still delete whose type no longer applies (the profile changed after they were
        // uploaded): submitting would lock them into the review; locked or approved ones are the review's to judge.
        // Asked before failed checks: such an image that also failed them cannot be replaced (CheckReplace), only deleted,
        // and "replace them" would send the candidate to a refusal.
        if (ImagesWhere(i => !i.IsLocked && i.Review != ImageReviewState.Approved && !StillApplies(i.MaterialType, catalog, profile)) is { Count: > 0 } notApplicable)
        {
            var names = string.Join("、", Images.Where(i => notApplicable.Contains(i.Id)).Select(i => catalog.Catalog.Find(i.MaterialType)?.Name ?? i.MaterialType).Distinct());
            return new Refusal(RefusalKind.Unprocessable, "images_not_applicable",
                $"以下材料不适用于您的情况：{names}。请删除这些图片后再提交；如有误，请在报名系统中更新个人信息。",
                $"Some images are of materials that do not apply to your situation ({names}); delete them before submitting, or update your profile if they should apply.",
                new Dictionary<string, object?> { ["imageIds"] = notApplicable });
        }
        if (ImagesWhere(i => i.Validation == ValidationState.Failed) is { Count: > 0 } failed)
        {
            return new Refusal(RefusalKind.Unprocessable, "images_failed_validation", "部分图片未通过检查，请更换后再提交。",
                "Some images failed the checks; replace them before submitting.", new Dictionary<string, object?> { ["imageIds"] = failed });
        }
        if (ImagesWhere(i => i.Review == ImageReviewState.ReplacementRequested) is { Count: > 0 } awaiting)
        {
            return new Refusal(RefusalKind.Unprocessable, "images_awaiting_replacement", "审核人员要求更换部分图片，请更换后再提交。",
                "The reviewer asked to replace some images; replace them before submitting.", new Dictionary<string, object?> { ["imageIds"] = awaiting });
        }

        Touch();
        var round = OpenRound(catalog, MissingMaterials(catalog, profile), now);
        return Decision.Accept(round, new MaterialsLocked(Id, CandidateId, round.ImageIds));
    }

    private List<Guid> ImagesWhere(Func<MaterialImage, bool> predicate) => Images.Where(predicate).Select(i => i.Id).ToList();

    /// <summary>The catalog names of the required materials still missing (an image awaiting replacement does not count).</summary>
    public IReadOnlyList<string> MissingMaterials(EffectiveCatalog? catalog, CandidateProfile profile) =>
        catalog is null ? [] : Checklists.For(catalog.Catalog, profile, Images).Where(l => l.Missing > 0).Select(l => l.Requirement.Type.Name).ToList();

    /// <summary>Adds an image and announces it; in continuous mode the upload is the submission (see <see cref="SubmitContinuously"/>).</summary>
    private List<object> Add(MaterialImage image, EffectiveCatalog? catalog, CandidateProfile profile, DateTimeOffset now, Guid? replaces = null)
    {
        Images.Add(image);
        Touch();
        List<object> events =
        [
            new MaterialUploaded(image.Id, Id, CandidateId, RegistrationNumber, image.MaterialType, image.ContentType, image.Length, image.Sha256, image.ObjectKey)
            {
                MaterialName = catalog?.Catalog.Find(image.MaterialType)?.Name,
                MaxFileBytes = image.AcceptedUnderBytes,
            },
        ];
        if (SubmissionMode == SubmissionMode.Continuous)
        {
            events.AddRange(SubmitContinuously(image, catalog, MissingMaterials(catalog, profile), now, replaces));
        }
        return events;
    }

    /// <summary>
    /// Continuous mode: the first upload of a round (the application is open, or returned) raises
    /// ApplicationSubmitted with the next submission number, which opens or resumes the review case exactly as
    /// 提交审核 does; every upload raises MaterialSubmitted for its image, with the image it replaces.
    /// </summary>
    private List<object> SubmitContinuously(MaterialImage image, EffectiveCatalog? catalog, IReadOnlyList<string> missing, DateTimeOffset now, Guid? replaces)
    {
        List<object> events = [];
        // Every upload is a submission here: the catalog it was made under is the one an approval keeps.
        CatalogId = catalog?.Id;
        if (!InReview)
        {
            events.Add(OpenRound(catalog, missing, now));
        }
        events.Add(new MaterialSubmitted(image.Id, Id, CandidateId, AreaCode, SiteCode, image.MaterialType, SubmissionNumber, now)
        {
            ReplacesImageId = replaces,
            MissingMaterials = missing,
        });
        return events;
    }
}
