using ExamReview.Contracts;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Registration.Consumers;

/// <summary>Keeps the candidate-visible status current from ReviewWorkflow's events.</summary>
public abstract class ReviewStatusConsumer<TMessage>(RegistrationDbContext db, TimeProvider clock, ILogger logger)
    : InboxConsumer<TMessage, RegistrationDbContext>(db, logger)
    where TMessage : class
{
    protected async Task ApplyAsync(Guid candidateId, StatusEvent @event, CandidateStatus status, CancellationToken ct, string? feedback = null, DateTimeOffset? respondBy = null)
    {
        var registration = await Db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == candidateId, ct)
            ?? throw new InvalidOperationException($"No registration for candidate {candidateId}.");
        if (registration.ApplyStatus(status, @event, clock.GetUtcNow(), feedback, respondBy))
        {
            registration.Version++;
        }
        else
        {
            _logger.LogInformation("Ignored stale {Status} for candidate {CandidateId}", status, candidateId);
        }
    }

    private readonly ILogger _logger = logger;
}

public sealed class ApplicationSiteApprovedConsumer(RegistrationDbContext db, TimeProvider clock, ILogger<ApplicationSiteApprovedConsumer> logger)
    : ReviewStatusConsumer<ApplicationSiteApproved>(db, clock, logger)
{
    protected override Task HandleAsync(ApplicationSiteApproved message, Guid messageId, CancellationToken cancellationToken) =>
        ApplyAsync(message.CandidateId, new(messageId, message.Position), CandidateStatus.SiteApproved, cancellationToken);
}

public sealed class ApplicationApprovedConsumer(RegistrationDbContext db, TimeProvider clock, ILogger<ApplicationApprovedConsumer> logger)
    : ReviewStatusConsumer<ApplicationApproved>(db, clock, logger)
{
    protected override Task HandleAsync(ApplicationApproved message, Guid messageId, CancellationToken cancellationToken) =>
        ApplyAsync(message.CandidateId, new(messageId, message.Position), CandidateStatus.Approved, cancellationToken);
}

public sealed class ApplicationReturnedConsumer(RegistrationDbContext db, TimeProvider clock, ILogger<ApplicationReturnedConsumer> logger)
    : ReviewStatusConsumer<ApplicationReturned>(db, clock, logger)
{
    protected override Task HandleAsync(ApplicationReturned message, Guid messageId, CancellationToken cancellationToken) =>
        ApplyAsync(message.CandidateId, new(messageId, message.Position), CandidateStatus.Returned, cancellationToken, message.Feedback, message.RespondBy);
}

public sealed class ApplicationRejectedConsumer(RegistrationDbContext db, TimeProvider clock, ILogger<ApplicationRejectedConsumer> logger)
    : ReviewStatusConsumer<ApplicationRejected>(db, clock, logger)
{
    protected override Task HandleAsync(ApplicationRejected message, Guid messageId, CancellationToken cancellationToken) =>
        ApplyAsync(message.CandidateId, new(messageId, message.Position), CandidateStatus.Rejected, cancellationToken, message.Reason);
}

/// <summary>A resubmission puts the candidate back to 填报 (under review) after a return.</summary>
public sealed class ApplicationSubmittedConsumer(RegistrationDbContext db, TimeProvider clock, ILogger<ApplicationSubmittedConsumer> logger)
    : ReviewStatusConsumer<ApplicationSubmitted>(db, clock, logger)
{
    // A submission stands before every outcome of its own round and after those of the rounds before (ReviewPosition).
    protected override Task HandleAsync(ApplicationSubmitted message, Guid messageId, CancellationToken cancellationToken) =>
        ApplyAsync(message.CandidateId, new(messageId, new ReviewPosition(message.SubmissionNumber, 0)), CandidateStatus.Filling, cancellationToken);
}

/// <summary>A case returned for a registration-data problem resumed after staff corrected the data: back to 填报 (under review).</summary>
public sealed class ReviewResumedConsumer(RegistrationDbContext db, TimeProvider clock, ILogger<ReviewResumedConsumer> logger)
    : ReviewStatusConsumer<ReviewResumed>(db, clock, logger)
{
    protected override Task HandleAsync(ReviewResumed message, Guid messageId, CancellationToken cancellationToken) =>
        ApplyAsync(message.CandidateId, new(messageId, message.Position), CandidateStatus.Filling, cancellationToken);
}

/// <summary>
/// A result held until its round closes: the review's real state, kept beside the status the candidate sees (which
/// stays as it is until the round publishes the result), so the candidate's own changes follow the review itself.
/// </summary>
public sealed class ApplicationResultHeldConsumer(RegistrationDbContext db, ILogger<ApplicationResultHeldConsumer> logger)
    : InboxConsumer<ApplicationResultHeld, RegistrationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ApplicationResultHeld message, Guid messageId, CancellationToken cancellationToken)
    {
        var registration = await Db.Registrations.SingleOrDefaultAsync(r => r.CandidateId == message.CandidateId, cancellationToken)
            ?? throw new InvalidOperationException($"No registration for candidate {message.CandidateId}.");
        if (!registration.ApplyHeldResult(message.Result, message.Position))
        {
            _logger.LogInformation("Ignored stale held {Result} for candidate {CandidateId}", message.Result, message.CandidateId);
        }
    }

    private readonly ILogger _logger = logger;
}
