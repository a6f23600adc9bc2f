using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>
/// Opens a review case for a first submission; a resubmission after a return puts the case back in site
/// review, with each replacement image flagged beside the decision and reason that asked for it (<see cref="ReviewCase.TakeResubmission"/>).
/// </summary>
public sealed class ApplicationSubmittedConsumer(ReviewDbContext db, TimeProvider clock, ILogger<ApplicationSubmittedConsumer> logger)
    : InboxConsumer<ApplicationSubmitted, ReviewDbContext>(db, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ApplicationSubmitted message, Guid messageId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await LearnChecksAsync(message, cancellationToken);
        var materialTypes = await Db.KnownImages.Where(i => message.ImageIds.Contains(i.ImageId) && i.MaterialType != KnownImage.NotYetKnown)
            .ToDictionaryAsync(i => i.ImageId, i => i.MaterialType, cancellationToken);
        var reviewCase = await Db.Cases.SingleOrDefaultAsync(c => c.ApplicationId == message.ApplicationId, cancellationToken);
        if (reviewCase is null)
        {
            var category = await Db.CandidateProfiles.Where(p => p.CandidateId == message.CandidateId).Select(p => p.ExamCategory)
                .SingleOrDefaultAsync(cancellationToken);
            reviewCase = new ReviewCase
            {
                Id = Guid.CreateVersion7(),
                ApplicationId = message.ApplicationId,
                CandidateId = message.CandidateId,
                RegistrationNumber = message.RegistrationNumber,
                AreaCode = message.AreaCode,
                SiteCode = message.SiteCode,
                ExamCategory = category,
                State = CaseState.SiteReview,
                SubmissionNumber = message.SubmissionNumber,
                ImageIdsJson = CaseImageIds.ToJson(message.ImageIds),
                SubmittedAt = message.SubmittedAt,
                OpenedAt = message.SubmittedAt,
                UpdatedAt = now,
            };
            reviewCase.ReportMissing(message.MissingMaterials);
            Db.Cases.Add(reviewCase);
            Db.ImageReviews.AddRange(message.ImageIds.Select(id => new ImageReview
            {
                Id = Guid.CreateVersion7(),
                CaseId = reviewCase.Id,
                ImageId = id,
                MaterialType = materialTypes.GetValueOrDefault(id),
                SubmissionNumber = message.SubmissionNumber,
            }));
            Timeline.Record(Db, reviewCase, CaseEventKinds.Submitted, "candidate", TimelineText.Submitted(message.SubmissionNumber, message.ImageIds.Count), now);
            return;
        }
        var existing = await Db.ImageReviews.Where(i => i.CaseId == reviewCase.Id).ToListAsync(cancellationToken);
        var taken = reviewCase.TakeResubmission(message, existing, materialTypes.GetValueOrDefault, now);
        if (taken.Outcome == ResubmissionOutcome.AlreadyKnown)
        {
            _logger.LogInformation("Submission {Number} of case {CaseId} already known", message.SubmissionNumber, reviewCase.Id);
            return;
        }
        if (taken.Outcome == ResubmissionOutcome.NotReturned)
        {
            throw new InvalidOperationException($"Case {reviewCase.Id} in state {reviewCase.State} cannot take a resubmission.");
        }
        Db.ImageReviews.AddRange(taken.Added);
        foreach (var entry in taken.Timeline)
        {
            Timeline.Record(Db, reviewCase, entry.Kind, "candidate", entry.Detail, now);
        }
    }

    /// <summary>The verdicts the submission carries, for images whose verdict never reached this service (see the message).</summary>
    private async Task LearnChecksAsync(ApplicationSubmitted message, CancellationToken cancellationToken)
    {
        if (message.Checks is not { Count: > 0 } checks)
        {
            return;
        }
        var ids = checks.Select(c => c.ImageId).ToList();
        var known = await Db.KnownImages.Where(k => ids.Contains(k.ImageId)).ToDictionaryAsync(k => k.ImageId, cancellationToken);
        foreach (var check in checks)
        {
            if (!known.TryGetValue(check.ImageId, out var image))
            {
                image = new KnownImage { ImageId = check.ImageId, CandidateId = message.CandidateId, MaterialType = KnownImage.NotYetKnown };
                Db.KnownImages.Add(image);
            }
            image.LearnCheckAtSubmission(check.Passed, check.Infected);
        }
    }
}
