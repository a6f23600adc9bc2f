using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>
/// Site staff corrected a registration: the candidate's case records it on its timeline (who, which fields, why),
/// follows a corrected exam category, and a case returned for the registration data resumes site review.
/// </summary>
public sealed class RegistrationCorrectedConsumer(ReviewDbContext db, TimeProvider clock, ILogger<RegistrationCorrectedConsumer> logger)
    : InboxConsumer<RegistrationCorrected, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(RegistrationCorrected message, Guid messageId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var profile = await Db.CandidateProfiles.SingleOrDefaultAsync(p => p.CandidateId == message.CandidateId, cancellationToken);
        if (profile is null)
        {
            // Kept even before the hand-over's message arrives, so that late message cannot undo the correction.
            profile = new CandidateProfile { CandidateId = message.CandidateId, ExamCategory = message.ExamCategory, RegistrationVersion = message.RegistrationVersion };
            Db.CandidateProfiles.Add(profile);
        }
        // A correction older than the category already known (delivered late) still goes on the timeline and resumes
        // the case; only its category is stale.
        var categoryIsLatest = profile.TakeCategory(message.ExamCategory, message.RegistrationVersion);
        var cases = await Db.Cases.Where(c => c.CandidateId == message.CandidateId).ToListAsync(cancellationToken);
        foreach (var reviewCase in cases)
        {
            if (categoryIsLatest)
            {
                reviewCase.ExamCategory = message.ExamCategory;
            }
            Timeline.Record(Db, reviewCase, CaseEventKinds.RegistrationCorrected, message.CorrectedBy,
                TimelineText.RegistrationCorrected(message.FieldNamesZh.Count == message.Fields.Count ? message.FieldNamesZh : message.Fields, message.Reason), now);
            if (reviewCase.ResumeAfterCorrection(now))
            {
                Timeline.Record(Db, reviewCase, CaseEventKinds.Resumed, message.CorrectedBy, TimelineText.BackToSiteReview, now);
                Db.Publish(new ReviewResumed(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, reviewCase.AreaCode, reviewCase.SiteCode,
                    message.Reason, now) { Position = reviewCase.CurrentPosition });
            }
            else
            {
                reviewCase.Touch(now);
            }
        }
    }
}
