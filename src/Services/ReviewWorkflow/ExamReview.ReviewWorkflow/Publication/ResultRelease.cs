using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ExamReview.ReviewWorkflow.Publication;

/// <summary>
/// Where a decided result goes: out at once (immediate areas) or into its scope's held results (the round releases
/// it). Either way in the decision's own transaction. The result events (ApplicationSiteApproved, ApplicationApproved,
/// ApplicationRejected) are what Registration, MaterialStorage and Notification already act on, so holding the event
/// holds the candidate's status, the upload page's label and the result SMS together; ApplicationResultPublished goes
/// with it for provincial systems. A held result is announced at once only to Registration (ApplicationResultHeld), for
/// the rules that follow the real state. Returns are not results: they always go at once (with their SMS).
/// </summary>
public static class ResultRelease
{
    /// <summary>
    /// Commits a decision's outcome with the case, in the caller's transaction: its timeline entries; its commands to
    /// MaterialStorage and a return at once; its results (site approved, approved, rejected) as the area publishes them.
    /// </summary>
    public static void Record(ReviewDbContext db, ReviewCase reviewCase, DecisionResult decided, string actor, DateTimeOffset now)
    {
        foreach (var entry in decided.Timeline)
        {
            Timeline.Record(db, reviewCase, entry.Kind, actor, entry.Detail, now);
        }
        foreach (var message in decided.Messages)
        {
            switch (message)
            {
                // Held with the position the decision stamped, so the event that leaves later says the same.
                case ApplicationSiteApproved siteApproved:
                    Release(db, reviewCase, new(RoundLevels.Site, ResultKinds.SiteApproved, null, siteApproved.Position), now);
                    break;
                case ApplicationApproved approved:
                    Release(db, reviewCase, new(RoundLevels.Area, ResultKinds.Approved, null, approved.Position, approved.ImageIds), now);
                    break;
                case ApplicationRejected rejected:
                    // Only a case awaiting area review can be rejected (ReviewStateMachine).
                    Release(db, reviewCase, new(RoundLevels.Area, ResultKinds.Rejected, rejected.Reason, rejected.Position), now);
                    break;
                default:
                    db.PublishAll([message]);
                    break;
            }
        }
    }

    /// <summary>A site approval decided on <paramref name="reviewCase"/> as it now stands, released as the area publishes.</summary>
    public static void SiteApproved(ReviewDbContext db, ReviewCase reviewCase, DateTimeOffset decidedAt) =>
        Release(db, reviewCase, new(RoundLevels.Site, ResultKinds.SiteApproved, null, null), decidedAt);

    /// <summary>An area approval decided on <paramref name="reviewCase"/> as it now stands (its images), released as the area publishes.</summary>
    public static void Approved(ReviewDbContext db, ReviewCase reviewCase, DateTimeOffset decidedAt) =>
        Release(db, reviewCase, new(RoundLevels.Area, ResultKinds.Approved, null, null, CaseImageIds.Of(reviewCase)), decidedAt);

    /// <summary>What a result says beyond its case: its level and kind, a rejection's reason, its position, an approval's images.</summary>
    private sealed record Outcome(string Level, string Result, string? Reason, ReviewPosition? Position, IReadOnlyList<Guid>? ImageIds = null);

    private static void Release(ReviewDbContext db, ReviewCase reviewCase, Outcome outcome, DateTimeOffset decidedAt)
    {
        var (level, result, reason, position, imageIds) = outcome;
        var held = new HeldResult
        {
            Id = Guid.CreateVersion7(),
            CaseId = reviewCase.Id,
            ApplicationId = reviewCase.ApplicationId,
            CandidateId = reviewCase.CandidateId,
            AreaCode = reviewCase.AreaCode,
            SiteCode = reviewCase.SiteCode,
            Level = level,
            ScopeCode = level == RoundLevels.Site ? reviewCase.SiteCode : reviewCase.AreaCode,
            Result = result,
            Reason = reason,
            SubmissionNumber = reviewCase.SubmissionNumber,
            CaseVersion = (position ?? reviewCase.CurrentPosition).CaseVersion,
            DecidedAt = decidedAt,
            ImageIdsJson = imageIds is null ? null : CaseImageIds.ToJson(imageIds),
        };
        if (ModeFor(db, reviewCase.AreaCode) == PublicationMode.HeldUntilRoundCloses)
        {
            db.HeldResults().Add(held);
            Announce(db, held);
            return;
        }
        Publish(db, held, roundId: null, decidedAt);
    }

    /// <summary>
    /// Tells Registration of a held result, in the caller's transaction. Registration refuses the candidate's own change
    /// of what was reviewed (photo, profile) by the review's real state: were it to learn of the result only when the
    /// round publishes it, the candidate could change what the site passed in between. It keeps this apart from the status
    /// the candidate sees, and takes it only over a lower position, so announcing a result again changes nothing.
    /// </summary>
    public static void Announce(ReviewDbContext db, HeldResult held) =>
        db.Publish(new ApplicationResultHeld(held.CaseId, held.ApplicationId, held.CandidateId, held.AreaCode, held.SiteCode, held.Result,
            new ReviewPosition(held.SubmissionNumber, held.CaseVersion), held.DecidedAt));

    /// <summary>Makes one result visible: the result event and ApplicationResultPublished, queued in the caller's transaction.</summary>
    public static void Publish(ReviewDbContext db, HeldResult held, Guid? roundId, DateTimeOffset now)
    {
        var position = held.CaseVersion > 0 ? new ReviewPosition(held.SubmissionNumber, held.CaseVersion) : null;
        switch (held.Result)
        {
            case ResultKinds.SiteApproved:
                db.Publish(new ApplicationSiteApproved(held.CaseId, held.ApplicationId, held.CandidateId, held.AreaCode, held.SiteCode)
                {
                    SubmissionNumber = held.SubmissionNumber,
                    Position = position,
                });
                break;
            case ResultKinds.Approved:
                db.Publish(new ApplicationApproved(held.CaseId, held.ApplicationId, held.CandidateId, held.AreaCode)
                {
                    Position = position,
                    ImageIds = held.ImageIdsJson is { } ids ? CaseImageIds.FromJson(ids) : null,
                });
                break;
            case ResultKinds.Rejected:
                db.Publish(new ApplicationRejected(held.CaseId, held.ApplicationId, held.CandidateId, held.AreaCode, held.Reason ?? "") { Position = position });
                break;
            default:
                throw new InvalidOperationException($"Unknown result kind '{held.Result}'.");
        }
        db.Publish(new ApplicationResultPublished(held.CaseId, held.ApplicationId, held.CandidateId, held.AreaCode, held.SiteCode,
            held.Result, roundId, held.DecidedAt, now));
        held.RoundId = roundId;
        held.PublishedAt = now;
    }

    // Decisions are made in static helpers that only have the context; the options come from the host's services.
    private static PublicationMode ModeFor(ReviewDbContext db, string areaCode)
    {
        var services = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        var options = services?.GetService(typeof(PublicationOptions)) as PublicationOptions;
        return options?.ModeFor(areaCode) ?? PublicationMode.Immediate;
    }
}
