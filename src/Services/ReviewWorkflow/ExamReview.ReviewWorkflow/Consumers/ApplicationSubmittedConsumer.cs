using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>Opens a review case for a first submission; a resubmission after a return puts the case back in site review.</summary>
public sealed class ApplicationSubmittedConsumer(ReviewDbContext db, OutboxSignal signal, TimeProvider clock, ILogger<ApplicationSubmittedConsumer> logger)
    : InboxConsumer<ApplicationSubmitted, ReviewDbContext>(db, signal, logger)
{
    private readonly ILogger _logger = logger;

    protected override async Task HandleAsync(ApplicationSubmitted message, Guid messageId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var imageIds = JsonSerializer.Serialize(message.ImageIds);
        var reviewCase = await Db.Cases.SingleOrDefaultAsync(c => c.ApplicationId == message.ApplicationId, cancellationToken);
        if (reviewCase is null)
        {
            reviewCase = new ReviewCase
            {
                Id = Guid.CreateVersion7(),
                ApplicationId = message.ApplicationId,
                CandidateId = message.CandidateId,
                RegistrationNumber = message.RegistrationNumber,
                AreaCode = message.AreaCode,
                SiteCode = message.SiteCode,
                State = CaseState.SiteReview,
                SubmissionNumber = message.SubmissionNumber,
                ImageIdsJson = imageIds,
                SubmittedAt = message.SubmittedAt,
                UpdatedAt = now,
            };
            Db.Cases.Add(reviewCase);
            ReviewsApi.Record(Db, reviewCase, "submitted", "candidate", $"submission {message.SubmissionNumber}", now);
            return;
        }
        if (message.SubmissionNumber <= reviewCase.SubmissionNumber)
        {
            _logger.LogInformation("Submission {Number} of case {CaseId} already known", message.SubmissionNumber, reviewCase.Id);
            return;
        }
        if (!reviewCase.TryApply(ReviewAction.Resubmit, now))
        {
            throw new InvalidOperationException($"Case {reviewCase.Id} in state {reviewCase.State} cannot take a resubmission.");
        }
        reviewCase.SubmissionNumber = message.SubmissionNumber;
        reviewCase.ImageIdsJson = imageIds;
        reviewCase.SubmittedAt = message.SubmittedAt;
        ReviewsApi.Record(Db, reviewCase, "resubmitted", "candidate", $"submission {message.SubmissionNumber}", now);
    }
}
