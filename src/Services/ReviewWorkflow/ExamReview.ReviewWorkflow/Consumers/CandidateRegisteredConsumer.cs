using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>Remembers a candidate's exam category so queues can be filtered by it (and back-fills a case opened before it arrived).</summary>
public sealed class CandidateRegisteredConsumer(ReviewDbContext db, ILogger<CandidateRegisteredConsumer> logger)
    : InboxConsumer<CandidateRegistered, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(CandidateRegistered message, Guid messageId, CancellationToken cancellationToken)
    {
        var profile = await Db.CandidateProfiles.SingleOrDefaultAsync(p => p.CandidateId == message.CandidateId, cancellationToken);
        if (profile is null)
        {
            profile = new CandidateProfile { CandidateId = message.CandidateId, ExamCategory = message.ExamCategory };
            Db.CandidateProfiles.Add(profile);
        }
        else
        {
            // A registration is handed over at version 0: a correction already applied is later and keeps its category.
            profile.TakeCategory(message.ExamCategory, 0);
        }
        var category = profile.ExamCategory;
        await Db.Cases.Where(c => c.CandidateId == message.CandidateId && c.ExamCategory == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExamCategory, category), cancellationToken);
    }
}

