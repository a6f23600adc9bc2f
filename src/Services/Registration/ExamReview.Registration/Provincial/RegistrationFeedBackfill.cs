using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Provincial;

namespace ExamReview.Registration.Provincial;

/// <summary>Registrations written before the registrations feed existed: their current state enters the feed once.</summary>
public static class RegistrationFeedBackfill
{
    public static readonly IFeedBackfillSource<RegistrationDbContext>[] Sources =
    [
        new FeedBackfillSource<RegistrationDbContext, CandidateRegistration>(RegistrationFeedProjection.Feed, RegistrationFeedProjection.Kind,
            new RegistrationFeedProjection(), r => r.CandidateId),
    ];
}
