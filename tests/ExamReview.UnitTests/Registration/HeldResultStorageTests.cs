using ExamReview.Contracts;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.Registration.Provincial;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// A held result stored on the service's real migrations (SQLite): it leaves no trace a province or the candidate reads
/// (version, time, feed), yet a profile change decided before it was learnt cannot commit after it — interleaved by hand
/// the way the consumer and the endpoint run (load and decide, then commit).
/// </summary>
public sealed class HeldResultStorageTests : RegistrationSqliteTest
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Learning_a_held_result_moves_no_version_no_time_and_writes_no_feed_row()
    {
        var candidateId = await SubmittedAsync();
        var (version, updatedAt, feed) = await SeenAsync(candidateId);

        await LearnHeldAsync(candidateId, ResultNames.SiteApproved, new ReviewPosition(1, 3));

        Assert.Equal((version, updatedAt, feed), await SeenAsync(candidateId));
        using var scope = CreateScope();
        var stored = await Db(scope).Registrations.AsNoTracking().SingleAsync(r => r.CandidateId == candidateId);
        Assert.Equal((CandidateStatus.Filling, CandidateStatus.SiteApproved), (stored.Status, stored.ReviewState));

        // Released by the round: now the candidate and the province see it, in one feed row.
        var released = await Db(scope).Registrations.SingleAsync(r => r.CandidateId == candidateId);
        Assert.True(released.ApplyStatus(CandidateStatus.SiteApproved, new(Guid.CreateVersion7(), new ReviewPosition(1, 3)), T0.AddHours(1)));
        released.Version++;
        await Db(scope).CommitAsync(CancellationToken.None);
        Assert.Equal((version + 1, T0.AddHours(1), feed + 1), await SeenAsync(candidateId));
    }

    [Fact]
    public async Task A_profile_change_decided_before_the_held_result_was_learnt_loses_and_writes_nothing()
    {
        var candidateId = await SubmittedAsync();
        using var profileScope = CreateScope();
        var profile = Db(profileScope);

        // The endpoint loads and decides: nothing held yet, so the change is allowed.
        var registration = await profile.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        Assert.Null(registration.ChangeProfile(CandidateProfile.Plain with { EducationLevel = "doctorate" }, T0));
        profile.Publish(registration.ProfileChanged());

        // Meanwhile the consumer learns that the site passed it (held for the round).
        await LearnHeldAsync(candidateId, ResultNames.SiteApproved, new ReviewPosition(1, 3));

        Assert.True((await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => profile.CommitAsync(CancellationToken.None))).IsLostRace());
        using var readerScope = CreateScope();
        var reader = Db(readerScope);
        var stored = await reader.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        Assert.Equal(("bachelor", 0), (stored.EducationLevel, stored.ProfileVersion));
        Assert.DoesNotContain(await reader.OutboxMessages.AsNoTracking().Select(m => m.MessageType).ToListAsync(),
            type => type.Contains(nameof(CandidateProfileChanged), StringComparison.Ordinal));

        // The retry reads the held result and is refused, in words that name no result.
        var refused = stored.ChangeProfile(CandidateProfile.Plain with { EducationLevel = "doctorate" }, T0.AddSeconds(1));
        Assert.Equal(CandidateRegistration.ReviewedAsIsCode, refused!.Value.Code);
        Assert.DoesNotContain("考点通过", refused.Value.DetailZh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_held_result_learnt_after_a_profile_change_committed_is_retried_over_the_new_version()
    {
        var candidateId = await SubmittedAsync();
        using var consumerScope = CreateScope();
        var consumer = Db(consumerScope);
        var loaded = await consumer.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        Assert.True(loaded.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 3)));

        using (var profileScope = CreateScope())
        {
            var profile = Db(profileScope);
            var registration = await profile.Registrations.SingleAsync(r => r.CandidateId == candidateId);
            Assert.Null(registration.ChangeProfile(CandidateProfile.Plain with { EducationLevel = "doctorate" }, T0));
            await profile.CommitAsync(CancellationToken.None);
        }

        // The consumer's save loses (MassTransit delivers it again) and its retry takes it over the committed change.
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => consumer.CommitAsync(CancellationToken.None));
        await LearnHeldAsync(candidateId, ResultNames.SiteApproved, new ReviewPosition(1, 3));
        using var readerScope = CreateScope();
        var stored = await Db(readerScope).Registrations.AsNoTracking().SingleAsync(r => r.CandidateId == candidateId);
        Assert.Equal(("doctorate", CandidateStatus.SiteApproved), (stored.EducationLevel, stored.ReviewState));
    }

    private static RegistrationDbContext Db(IServiceScope scope) => scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();

    /// <summary>A registration whose first submission reached Registration (填报 at position 1/0).</summary>
    private async Task<Guid> SubmittedAsync()
    {
        using var scope = CreateScope();
        var db = Db(scope);
        var registration = TestRegistrations.New("430101199001011234");
        registration.CreatedAt = registration.UpdatedAt = T0.AddDays(-1);
        Assert.True(registration.ApplyStatus(CandidateStatus.Filling, new(Guid.CreateVersion7(), new ReviewPosition(1, 0)), T0.AddDays(-1)));
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        return registration.CandidateId;
    }

    /// <summary>What ApplicationResultHeldConsumer does: load, apply, commit.</summary>
    private async Task LearnHeldAsync(Guid candidateId, string result, ReviewPosition position)
    {
        using var scope = CreateScope();
        var db = Db(scope);
        var registration = await db.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        Assert.True(registration.ApplyHeldResult(result, position));
        await db.CommitAsync(CancellationToken.None);
    }

    /// <summary>What a province and the candidate can tell changed: the ETag's version, the time, the feed's rows.</summary>
    private async Task<(int Version, DateTimeOffset UpdatedAt, int FeedRows)> SeenAsync(Guid candidateId)
    {
        using var scope = CreateScope();
        var db = Db(scope);
        var stored = await db.Registrations.AsNoTracking().SingleAsync(r => r.CandidateId == candidateId);
        var rows = await db.Set<FeedEntry>().CountAsync(e => e.Feed == RegistrationFeedProjection.Feed && e.ItemId == candidateId);
        return (stored.Version, stored.UpdatedAt, rows);
    }
}
