using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>The case a reviewer acted on, by whom and when: what committing the decision needs besides its result.</summary>
internal sealed record CaseDecision(ReviewDbContext Db, ReviewCase Case, List<ImageReview> Images, string Actor, DateTimeOffset Now);

/// <summary>
/// What every reviewer action shares around the case's own decision: loading the case with its image decisions, the
/// caller's scope, and committing the result.
/// </summary>
internal static class CaseAccess
{
    public static async Task<(ReviewCase? Case, List<ImageReview> Images)> LoadAsync(ReviewDbContext db, Guid caseId, CancellationToken ct)
    {
        var reviewCase = await db.Cases.SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (reviewCase is null)
        {
            return (null, []);
        }
        var images = await db.ImageReviews.Where(i => i.CaseId == caseId).OrderBy(i => i.Id).ToListAsync(ct);
        if (images.Count == 0)
        {
            // Cases opened before per-image decisions existed: their images start unreviewed.
            images = CaseImageIds.Of(reviewCase).Select(id => new ImageReview
            {
                Id = Guid.CreateVersion7(), CaseId = reviewCase.Id, ImageId = id, SubmissionNumber = reviewCase.SubmissionNumber,
            }).ToList();
            db.ImageReviews.AddRange(images);
        }
        return (reviewCase, images);
    }

    /// <summary>
    /// The check outcome of the case's current images as ImageValidation's verdicts left them here, for a decision that
    /// gives images their ✓ (the case decides with it; an image without a verdict known is pending).
    /// </summary>
    public static async Task<ImageChecks> ChecksAsync(ReviewDbContext db, IReadOnlyList<ImageReview> images, CancellationToken ct)
    {
        var ids = images.Where(i => i.Current).Select(i => i.ImageId).ToList();
        var known = await db.KnownImages.AsNoTracking().Where(k => ids.Contains(k.ImageId)).ToDictionaryAsync(k => k.ImageId, k => k.Check, ct);
        return new ImageChecks(known);
    }

    public static ReviewLevel LevelOf(ClaimsPrincipal user) => user.IsInRole(Roles.SiteReviewer) ? ReviewLevel.Site : ReviewLevel.Area;

    /// <summary>
    /// Null when the case exists and is the caller's to see; otherwise the one not-found answer. A case of another site
    /// or area answers exactly as a missing one, so nobody learns which case ids exist elsewhere (issue 15 item 3).
    /// </summary>
    public static ProblemHttpResult? Scope(ClaimsPrincipal user, ReviewCase? reviewCase)
    {
        return reviewCase is not null && InScope(user, reviewCase) ? null : CaseRefusals.NotFound().ToProblem();
    }

    public static bool InScope(ClaimsPrincipal user, ReviewCase reviewCase) => LevelOf(user) == ReviewLevel.Site
        ? string.Equals(user.Site(), reviewCase.SiteCode, StringComparison.Ordinal)
        : string.Equals(user.Area(), reviewCase.AreaCode, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="actor"/> claimed the case since it reached its current level (a human looked at it).</summary>
    public static async Task<bool> LookedAtAsync(ReviewDbContext db, ReviewCase reviewCase, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (reviewCase.IsHeldBy(actor, now))
        {
            return true;
        }
        var since = reviewCase.SiteApprovedAt ?? reviewCase.SubmittedAt;
        return await db.CaseEvents.AnyAsync(e => e.CaseId == reviewCase.Id && e.Actor == actor
            && (e.Kind == CaseEventKinds.Claimed || e.Kind == CaseEventKinds.ClaimRenewed || e.Kind == CaseEventKinds.Opened) && e.At >= since, ct);
    }

    /// <summary>
    /// An area reviewer opening a case awaiting area review is recorded once per round: it is the look that lets
    /// the case into a bulk approval (see <see cref="LookedAtAsync"/>).
    /// </summary>
    public static async Task RecordOpenedAsync(ReviewDbContext db, ClaimsPrincipal user, ReviewCase reviewCase, DateTimeOffset now, CancellationToken ct)
    {
        if (!user.IsInRole(Roles.AreaReviewer) || reviewCase.ReviewableAt != ReviewLevel.Area || await LookedAtAsync(db, reviewCase, user.Actor(), now, ct))
        {
            return;
        }
        Timeline.Record(db, reviewCase, CaseEventKinds.Opened, user.Actor(), null, now);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Translates a refusal, or commits the decision with the case (timeline, commands and returns at once, results as
    /// the area publishes them; see <see cref="ResultRelease.Record"/>) and shows the case as it now is.
    /// </summary>
    public static async Task<Results<Ok<CaseView>, ProblemHttpResult>> CommitAsync(CaseDecision decision, DecisionResult decided, CancellationToken ct)
    {
        if (decided.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        var (db, reviewCase, images, actor, now) = decision;
        ResultRelease.Record(db, reviewCase, decided, actor, now);
        await db.CommitAsync(ct);
        return TypedResults.Ok(await ReviewViews.WithLocksAsync(db, ReviewViews.ToView(reviewCase, now, images), ct));
    }

    /// <summary>Translates the review's refusal into a problem response: the kind picks the status, the texts stay the domain's.</summary>
    public static ProblemHttpResult ToProblem(this CaseRefusal refusal)
    {
        if (refusal.Kind == CaseRefusalKind.InvalidField)
        {
            return Problems.Invalid((string)refusal.Facts!["field"]!, refusal.DetailZh, refusal.DetailEn);
        }
        var status = refusal.Kind switch
        {
            CaseRefusalKind.NotFound => StatusCodes.Status404NotFound,
            CaseRefusalKind.Forbidden => StatusCodes.Status403Forbidden,
            CaseRefusalKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Problems.Localised(status, refusal.Code, refusal.DetailZh, refusal.DetailEn, refusal.Facts?.ToDictionary(f => f.Key, f => f.Value));
    }
}
