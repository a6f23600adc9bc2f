using ExamReview.Registration.Api;
using ExamReview.Registration.Domain;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace ExamReview.Registration.Provincial;

/// <summary>A registration as its province sees it (the ID number masked, as everywhere outside the logged identity view).</summary>
public sealed record ProvincialRegistration(
    Guid CandidateId,
    Guid RegistrationId,
    string RegistrationNumber,
    int ExamYear,
    string AreaCode,
    string SiteCode,
    string ExamCategory,
    string FullName,
    string MaskedIdNumber,
    string MobileNumber,
    StatusView Status,
    string? Feedback,
    DateTimeOffset UpdatedAt,
    string ETag)
{
    public static ProvincialRegistration Of(CandidateRegistration r) => new(
        r.CandidateId, r.Id, r.RegistrationNumber, r.ExamYear, r.AreaCode, r.SiteCode, r.ExamCategory, r.FullName,
        RegistrationsApi.Mask(r.IdNumber), r.MobileNumber, new StatusView(r.Status.ToString(), r.Status.Label()), r.Feedback, FeedTimes.Millis(r.UpdatedAt),
        Preconditions.ETagOf(r.Version));
}

/// <summary>One change of the registrations feed: the registration as committed, or a tombstone (deleted: true, registration null).</summary>
public sealed record RegistrationFeedItem(string Cursor, Guid CandidateId, bool Deleted, DateTimeOffset ChangedAt, ProvincialRegistration? Registration);

/// <summary>A page of the registrations feed: keep <c>nextCursor</c> and send it as <c>cursor</c> next time; <c>hasMore</c>: more is ready now.</summary>
public sealed record RegistrationFeedPage(IReadOnlyList<RegistrationFeedItem> Items, string NextCursor, bool HasMore);

/// <summary>Every save that adds, changes or removes a registration writes its feed row (whichever endpoint or consumer saved it).</summary>
public sealed class RegistrationFeedProjection : IFeedProjection
{
    public const string Feed = "registrations";
    public const string Kind = "registration";

    public ValueTask<IReadOnlyList<FeedChange>> ProjectAsync(DbContext db, IReadOnlyList<EntityEntry> changed, CancellationToken cancellationToken)
    {
        var changes = new List<FeedChange>();
        foreach (var entry in changed.Where(e => e.Entity is CandidateRegistration))
        {
            if (SealedAgainOnly(entry) || HeldResultOnly(entry))
            {
                continue;
            }
            var registration = (CandidateRegistration)entry.Entity;
            var area = entry.Property(nameof(CandidateRegistration.AreaCode));
            if (entry.State == EntityState.Modified && area.IsModified && area.OriginalValue is string before && before != registration.AreaCode)
            {
                // Moved to another province: gone from the one it left.
                changes.Add(new FeedChange(Feed, before, Kind, registration.CandidateId, null));
            }
            changes.Add(new FeedChange(Feed, registration.AreaCode, Kind, registration.CandidateId,
                entry.State == EntityState.Deleted ? null : ProvincialRegistration.Of(registration)));
        }
        return ValueTask.FromResult<IReadOnlyList<FeedChange>>(changes);
    }

    // The same ID number written again (sealed under the current key after a rotation): nothing a province sees changed.
    private static bool SealedAgainOnly(EntityEntry entry) =>
        entry.State == EntityState.Modified
        && entry.Properties.Where(p => p.IsModified).All(p =>
            p.Metadata.Name is nameof(CandidateRegistration.IdNumber) or Data.RegistrationDbContext.IdNumberIndexColumn
            && Equals(p.OriginalValue, p.CurrentValue));

    // A held result learnt (CandidateRegistration.ApplyHeldResult): provinces get results when the round publishes them,
    // so not even a feed row may mark the moment one was decided.
    private static bool HeldResultOnly(EntityEntry entry) =>
        entry.State == EntityState.Modified
        && entry.Properties.Where(p => p.IsModified).All(p =>
            p.Metadata.Name is nameof(CandidateRegistration.HeldStatus) or nameof(CandidateRegistration.HeldStatusSubmission)
                or nameof(CandidateRegistration.HeldStatusCaseVersion));
}
