using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>Loads a case with its image decisions and applies the checks every reviewer action shares.</summary>
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

    /// <summary>Claims and per-image decisions are possible only while the case awaits the caller's level.</summary>
    public static ProblemHttpResult? AwaitsLevel(ClaimsPrincipal user, ReviewCase reviewCase) =>
        reviewCase.RefuseUnlessReviewableAt(LevelOf(user))?.ToProblem();

    public static ProblemHttpResult? HeldBy(ClaimsPrincipal user, ReviewCase reviewCase, DateTimeOffset now) =>
        reviewCase.RefuseUnlessHeldBy(user.Actor(), now)?.ToProblem();

    public static ProblemHttpResult ClaimHeld(ReviewCase reviewCase) => CaseRefusals.ClaimHeld(reviewCase).ToProblem();

    /// <summary>
    /// Required materials still missing block the approval unless the reviewer overrides it explicitly with a
    /// reason; an override is recorded on the timeline with the materials it covers.
    /// </summary>
    public static ProblemHttpResult? MissingMaterials(ReviewDbContext db, ReviewCase reviewCase, ApproveRequest? request, string actor, DateTimeOffset now)
    {
        var (allowed, missing) = reviewCase.MayPassSiteReview(request?.OverrideMissingMaterials == true, request?.OverrideReason);
        if (!allowed)
        {
            return CaseRefusals.MaterialsMissing(missing).ToProblem();
        }
        if (missing.Count > 0)
        {
            Timeline.Record(db, reviewCase, CaseEventKinds.MissingMaterialsOverridden, actor,
                $"缺少 {string.Join("、", missing)} 仍通过；理由：{request!.OverrideReason!.Trim()}", now);
        }
        return null;
    }

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

    /// <summary>Who held the case when it was decided, for the decision's timeline entry.</summary>
    public static string ClaimedByNote(ReviewCase reviewCase, DateTimeOffset now) =>
        TimelineText.ClaimedBy(reviewCase.HasActiveClaim(now) ? reviewCase.ClaimedBy : null, reviewCase.ClaimedAt);

    public static ProblemHttpResult IllegalTransition(ReviewCase reviewCase, ReviewAction action) =>
        CaseRefusals.IllegalTransition(reviewCase.State, action).ToProblem();

    public static ProblemHttpResult NotFullyReviewed(IReadOnlyList<ImageReview> blocking) => CaseRefusals.NotFullyReviewed(blocking).ToProblem();

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

/// <summary>Decisions shared by the single, explicit and bulk approvals.</summary>
internal static class CaseDecisions
{
    public static void ApproveImages(ReviewDbContext db, ReviewCase reviewCase, IReadOnlyList<ImageReview> images, string actor, DateTimeOffset now)
    {
        if (images.Count == 0)
        {
            return;
        }
        foreach (var image in images)
        {
            image.Decision = ImageDecision.Approved;
            image.ReasonCode = null;
            image.Note = null;
            image.DecidedBy = actor;
            image.DecidedAt = now;
            Timeline.Record(db, reviewCase, CaseEventKinds.ImageApproved, actor, TimelineText.Image(image.ImageId), now);
        }
        var ids = images.Select(i => i.ImageId).ToList();
        Timeline.Send(db, reviewCase, new ApproveMaterials(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, ids), actor,
            TimelineText.Images(ids), now);
        reviewCase.MarkReviewed(now);
        reviewCase.Touch(now);
    }

    /// <summary>Approves the application at the case's current level; the caller checked scope, claim and images.</summary>
    public static void ApproveApplication(ReviewDbContext db, ReviewCase reviewCase, IReadOnlyList<ImageReview> images, string actor, DateTimeOffset now)
    {
        var siteLevel = reviewCase.State == CaseState.SiteReview;
        reviewCase.TryApply(siteLevel ? ReviewAction.SiteApprove : ReviewAction.AreaApprove, now);
        reviewCase.MarkReviewed(now);
        var imageIds = images.Where(i => i.Current).Select(i => i.ImageId).ToList();
        if (siteLevel)
        {
            reviewCase.SiteApprovedAt = now;
            Timeline.Record(db, reviewCase, CaseEventKinds.SiteApproved, actor, CaseAccess.ClaimedByNote(reviewCase, now), now);
            Timeline.Send(db, reviewCase, new LockMaterials(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, imageIds), actor,
                TimelineText.ImageCount(imageIds.Count), now);
            // Visible now or when the site's round closes, as the area publishes (the lock above goes at once either way).
            ResultRelease.SiteApproved(db, reviewCase, now);
        }
        else
        {
            reviewCase.DecidedAt = now;
            Timeline.Record(db, reviewCase, CaseEventKinds.AreaApproved, actor, CaseAccess.ClaimedByNote(reviewCase, now), now);
            Timeline.Send(db, reviewCase, new ApproveMaterials(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, []), actor,
                TimelineText.EveryImage, now);
            ResultRelease.Approved(db, reviewCase, now);
        }
        // The next level claims afresh.
        reviewCase.ReleaseClaim(now);
    }
}
