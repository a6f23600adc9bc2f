using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>
/// Site staff corrected a registration: the candidate's case records it on its timeline (who, which fields, why),
/// follows a corrected exam category, and a case returned for the registration data resumes site review if the
/// correction came after that return (<see cref="ReviewCase.TakeCorrection"/> decides).
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
        // A correction older than the category already known (delivered late) still goes on the timeline; only its
        // category is stale. Whether it resumes a data return is the case's call (made after the return or not).
        var categoryIsLatest = profile.TakeCategory(message.ExamCategory, message.RegistrationVersion);
        var correction = new StaffCorrection(message.CorrectedBy, message.FieldNamesZh.Count == message.Fields.Count ? message.FieldNamesZh : message.Fields,
            message.Reason, message.CorrectedAt);
        var cases = await Db.Cases.Where(c => c.CandidateId == message.CandidateId).ToListAsync(cancellationToken);
        foreach (var reviewCase in cases)
        {
            if (categoryIsLatest)
            {
                reviewCase.ExamCategory = message.ExamCategory;
            }
            ResultRelease.Record(Db, reviewCase, reviewCase.TakeCorrection(correction, now), message.CorrectedBy, now);
        }
    }
}
