using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.MaterialStorage.Domain;

/// <summary>
/// What a submission round is measured against: the catalog that governs the application now and the candidate's
/// profile, loaded as for a candidate's write (ApplicationContext), so a round opened by a review command carries the same
/// facts as one opened by an upload.
/// </summary>
public sealed record RoundFacts(EffectiveCatalog? Catalog, CandidateProfile Profile);

/// <summary>The return's notice to send once its unlock has opened the application to the candidate (<see cref="UnlockMaterials.RespondBy"/>).</summary>
public sealed record ReturnNotice(Guid CaseId, DateTimeOffset RespondBy);

/// <summary>
/// Submission rounds: each opens in one place (<see cref="OpenRound"/>) — 提交审核, the first continuous-mode upload of a
/// round, or a return the candidate answered while it was on its way — so every ApplicationSubmitted says the same things:
/// every image, the required materials still missing, and the verdicts known.
/// </summary>
public sealed partial class MaterialApplication
{
    /// <summary>
    /// Opens the next round at <paramref name="at"/> under <paramref name="catalog"/> (the one an approval keeps) and
    /// announces it to the review with <paramref name="missing"/> (<see cref="MissingMaterials"/>).
    /// </summary>
    private ApplicationSubmitted OpenRound(EffectiveCatalog? catalog, IReadOnlyList<string> missing, DateTimeOffset at)
    {
        State = ApplicationState.Submitted;
        SubmissionNumber++;
        SubmittedAt = at;
        CatalogId = catalog?.Id;
        return new ApplicationSubmitted(Id, CandidateId, RegistrationNumber, AreaCode, SiteCode, SubmissionNumber, Images.Select(i => i.Id).ToList(), at)
        {
            MissingMaterials = missing,
            Checks = ChecksForReview(),
        };
    }

    private List<SubmittedImageCheck> ChecksForReview() => Images.Select(i => i.CheckForReview()).OfType<SubmittedImageCheck>().ToList();

    /// <summary>
    /// Continuous mode: whether the candidate answered this return before it arrived. Every image it asks to replace
    /// (<paramref name="requested"/>, none means no answer can be told) has left the application — replaced in place or
    /// deleted while the page still read 审核中 — and an upload the case did not hold (outside <paramref name="caseImageIds"/>)
    /// came in meanwhile. Had the same writes followed the unlock, that upload would have opened the next round
    /// (<see cref="SubmitContinuously"/>); counted in the returned round, it would otherwise wait for one more write the
    /// candidate has no reason to make. Returns when the last such upload was made (the round's submission time), or null.
    /// </summary>
    private DateTimeOffset? AnsweredInTransit(IReadOnlyCollection<Guid> requested, IReadOnlyList<Guid>? caseImageIds)
    {
        if (SubmissionMode != SubmissionMode.Continuous || caseImageIds is null || requested.Count == 0 || Images.Any(i => requested.Contains(i.Id)))
        {
            return null;
        }
        var uploaded = Images.Where(i => !caseImageIds.Contains(i.Id)).ToList();
        return uploaded.Count == 0 ? null : uploaded.Max(i => i.UploadedAt);
    }

    /// <summary>
    /// Opens the round a return answered in transit starts, as the first upload after a return does
    /// (<see cref="SubmitContinuously"/>): every image, the verdicts known, and the required materials missing now, measured
    /// by the same rule against the same facts (<paramref name="facts"/>: the catalog that governs the application and the
    /// candidate's profile). An unlock that may open a round must bring them: a round without its list would leave the
    /// review with the returned round's.
    /// </summary>
    private ApplicationSubmitted NextRound(DateTimeOffset submittedAt, RoundFacts? facts)
    {
        if (facts is null)
        {
            throw new InvalidOperationException($"The unlock of application {Id} answers a return in transit and opens a round: it needs the round's catalog and profile.");
        }
        return OpenRound(facts.Catalog, MissingMaterials(facts.Catalog, facts.Profile), submittedAt);
    }
}
