using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// Issue 18: results held per area until the site's or area's round closes, on ReviewWorkflow's real migrations
/// (SQLite). What leaves is read from the outbox, which is exactly what the relay publishes.
/// </summary>
public sealed class ResultPublicationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private PublicationDatabase _db = null!;

    public async Task InitializeAsync() => _db = await PublicationDatabase.StartAsync(T0);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Decides the way the endpoints do: state change and release in one commit.</summary>
    private async Task<Guid> DecideAsync(string area, string site, Action<ReviewDbContext, ReviewCase> decide, Guid? caseId = null)
    {
        await using var scope = _db.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        ReviewCase reviewCase;
        if (caseId is { } id)
        {
            reviewCase = await db.Cases.SingleAsync(c => c.Id == id);
        }
        else
        {
            reviewCase = new ReviewCase
            {
                Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027" + site,
                AreaCode = area, SiteCode = site, State = CaseState.SiteReview, SubmissionNumber = 1, ImageIdsJson = "[]",
                SubmittedAt = T0, OpenedAt = T0, UpdatedAt = T0,
            };
            db.Cases.Add(reviewCase);
        }
        decide(db, reviewCase);
        await db.CommitAsync(CancellationToken.None);
        return reviewCase.Id;
    }

    private static void SiteApprove(ReviewDbContext db, ReviewCase c, DateTimeOffset at)
    {
        c.State = CaseState.AreaReview;
        c.SiteApprovedAt = at;
        ResultRelease.SiteApproved(db, c, at);
    }

    private static void AreaApprove(ReviewDbContext db, ReviewCase c, DateTimeOffset at)
    {
        c.State = CaseState.Approved;
        c.DecidedAt = at;
        ResultRelease.Approved(db, c, at);
    }

    private async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var scope = _db.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().OutboxMessages.AsNoTracking().OrderBy(m => m.Sequence).ToListAsync();
    }

    private Task<RoundOutcome> PublishAsync(string level, string scope) => _db.PublishAsync(level, scope, "operator-1");

    private static int Count<T>(IEnumerable<OutboxMessage> outbox) => outbox.Count(m => m.MessageType == typeof(T).FullName);

    private async Task<List<FeedEntry>> FeedAsync(Guid caseId)
    {
        await using var scope = _db.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Set<FeedEntry>().AsNoTracking()
            .Where(e => e.ItemId == caseId).OrderBy(e => e.Position).ToListAsync();
    }

    [Fact]
    public async Task The_provincial_feed_shows_a_held_result_only_when_its_round_is_published()
    {
        var caseId = await DecideAsync("37", "3701", (db, c) => AreaApprove(db, c, T0));
        var held = Assert.Single(await FeedAsync(caseId));
        Assert.Contains("\"state\":\"AreaReview\"", held.Payload, StringComparison.Ordinal);
        Assert.Contains("\"decidedAt\":null", held.Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("\"state\":\"Approved\"", held.Payload, StringComparison.Ordinal);

        _db.Clock.Now = T0.AddDays(1);
        Assert.Equal(1, (await PublishAsync(RoundLevels.Area, "37")).Published);
        var feed = await FeedAsync(caseId);
        Assert.Equal(2, feed.Count);
        Assert.Contains("\"state\":\"Approved\"", feed[1].Payload, StringComparison.Ordinal);

        // A second publish changes nothing, so the feed gets nothing new.
        await PublishAsync(RoundLevels.Area, "37");
        Assert.Equal(2, (await FeedAsync(caseId)).Count);
    }

    [Fact]
    public async Task A_reviewer_s_site_approval_sends_its_lock_at_once_records_its_timeline_and_holds_its_result_for_the_round()
    {
        var image = new ImageReview { Id = Guid.NewGuid(), ImageId = Guid.NewGuid(), Decision = ImageDecision.Approved };
        ReviewPosition? stamped = null;
        var caseId = await DecideAsync("37", "3703", (db, c) =>
        {
            c.Claim("site-1", T0, TimeSpan.FromMinutes(30));
            var decided = c.Approve([image], new ImageChecks(new Dictionary<Guid, ImageCheck> { [image.ImageId] = ImageCheck.Passed }), ReviewLevel.Site, "site-1", T0, MissingMaterialsOverride.None);
            Assert.Null(decided.Refusal);
            stamped = decided.Messages.OfType<ApplicationSiteApproved>().Single().Position;
            ResultRelease.Record(db, c, decided, "site-1", T0);
        });

        var outbox = await OutboxAsync();
        Assert.Equal(1, Count<LockMaterials>(outbox));
        Assert.Equal(0, Count<ApplicationSiteApproved>(outbox));
        // Registration alone learns of it at once, for the candidate's own changes, with the position the release will carry.
        var held = Assert.Single(outbox, m => m.MessageType == typeof(ApplicationResultHeld).FullName);
        var heldResult = System.Text.Json.JsonSerializer.Deserialize<ApplicationResultHeld>(held.Body, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal((caseId, ResultNames.SiteApproved, stamped, T0), (heldResult.CaseId, heldResult.Result, heldResult.Position, heldResult.DecidedAt));
        await using (var scope = _db.Services.CreateAsyncScope())
        {
            var kinds = await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().CaseEvents.AsNoTracking()
                .Where(e => e.CaseId == caseId).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
            Assert.Equal([CaseEventKinds.SiteApproved, CaseEventKinds.MessageSent], kinds);
        }

        _db.Clock.Now = T0.AddDays(1);
        Assert.Equal(1, (await PublishAsync(RoundLevels.Site, "3703")).Published);
        var released = Assert.Single(await OutboxAsync(), m => m.MessageType == typeof(ApplicationSiteApproved).FullName);
        // Released a day later with the position the decision stamped, so it cannot overtake what the review did since.
        Assert.Equal(stamped, System.Text.Json.JsonSerializer.Deserialize<ApplicationSiteApproved>(released.Body, System.Text.Json.JsonSerializerOptions.Web)!.Position);
    }

    [Fact]
    public async Task An_immediate_area_publishes_the_result_with_its_decision()
    {
        var caseId = await DecideAsync("43", "4301", (db, c) => AreaApprove(db, c, T0));
        var outbox = await OutboxAsync();
        Assert.Equal(1, Count<ApplicationApproved>(outbox));
        var published = Assert.Single(outbox, m => m.MessageType == typeof(ApplicationResultPublished).FullName);
        Assert.Contains(caseId.ToString(), published.Body, StringComparison.Ordinal);
        Assert.Contains("\"roundId\":null", published.Body, StringComparison.Ordinal);
        Assert.Equal(0, Count<ApplicationResultHeld>(outbox)); // nothing is held, the result itself says it
    }

    [Fact]
    public async Task A_round_of_200_publishes_each_result_once_and_a_second_publish_sends_nothing()
    {
        for (var i = 0; i < 200; i++)
        {
            await DecideAsync("37", "3701", (db, c) => AreaApprove(db, c, T0.AddSeconds(i)));
        }
        // Held: nothing the candidates see has left (they still read 审核中), only the notice Registration keeps to itself.
        Assert.All(await OutboxAsync(), m => Assert.Equal(typeof(ApplicationResultHeld).FullName, m.MessageType));
        Assert.Equal(200, (await OutboxAsync()).Count);

        _db.Clock.Now = T0.AddDays(1);
        var first = await PublishAsync(RoundLevels.Area, "37");
        Assert.Equal(200, first.Published);
        Assert.Equal(0, first.Withdrawn);
        var outbox = await OutboxAsync();
        Assert.Equal(200, Count<ApplicationApproved>(outbox));
        Assert.Equal(200, Count<ApplicationResultPublished>(outbox));
        Assert.Equal(200, outbox.Where(m => m.MessageType == typeof(ApplicationApproved).FullName).Select(m => m.Body).Distinct().Count());
        Assert.All(outbox.Where(m => m.MessageType == typeof(ApplicationResultPublished).FullName),
            m => Assert.Contains(first.RoundId!.Value.ToString(), m.Body, StringComparison.Ordinal));

        var retry = await PublishAsync(RoundLevels.Area, "37");
        Assert.Equal(0, retry.Published);
        Assert.Equal(first.RoundId, retry.RoundId);
        Assert.Equal(600, (await OutboxAsync()).Count);
    }

    [Fact]
    public async Task A_held_site_approval_overtaken_by_a_return_or_an_area_decision_is_withdrawn_not_published()
    {
        var returned = await DecideAsync("37", "3702", (db, c) => SiteApprove(db, c, T0));
        await DecideAsync("37", "3702", (db, c) =>
        {
            c.State = CaseState.Returned; // the area returns it: the candidate sees 退回修改 now, never 考点通过 later
            db.Publish(new ApplicationReturned(c.Id, c.ApplicationId, c.CandidateId, c.AreaCode, "area", "请重传", T0.AddDays(1)));
        }, returned);
        var decided = await DecideAsync("37", "3702", (db, c) => SiteApprove(db, c, T0.AddMinutes(1)));
        await DecideAsync("37", "3702", (db, c) => AreaApprove(db, c, T0.AddMinutes(2)), decided);
        var current = await DecideAsync("37", "3702", (db, c) => SiteApprove(db, c, T0.AddMinutes(3)));

        _db.Clock.Now = T0.AddHours(1);
        var site = await PublishAsync(RoundLevels.Site, "3702");
        Assert.Equal(1, site.Published);
        Assert.Equal(2, site.Withdrawn);
        var outbox = await OutboxAsync();
        var siteApproved = Assert.Single(outbox, m => m.MessageType == typeof(ApplicationSiteApproved).FullName);
        Assert.Contains(current.ToString(), siteApproved.Body, StringComparison.Ordinal);

        var area = await PublishAsync(RoundLevels.Area, "37");
        Assert.Equal(1, area.Published);
        Assert.Contains(decided.ToString(), Assert.Single(await OutboxAsync(), m => m.MessageType == typeof(ApplicationApproved).FullName).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_decided_after_a_round_closed_wait_for_the_next_round()
    {
        await DecideAsync("37", "3703", (db, c) => AreaApprove(db, c, T0));
        _db.Clock.Now = T0.AddHours(1);
        var first = await PublishAsync(RoundLevels.Area, "37");
        await DecideAsync("37", "3703", (db, c) => AreaApprove(db, c, T0.AddHours(2)));
        Assert.Equal(1, Count<ApplicationApproved>(await OutboxAsync()));
        _db.Clock.Now = T0.AddHours(3);
        var second = await PublishAsync(RoundLevels.Area, "37");
        Assert.Equal(1, second.Published);
        Assert.NotEqual(first.RoundId, second.RoundId);
        Assert.Equal(2, Count<ApplicationApproved>(await OutboxAsync()));
    }

    [Fact]
    public async Task Held_results_waiting_for_their_round_are_announced_to_Registration_at_start_and_no_others()
    {
        HeldResult Row(DateTimeOffset? publishedAt = null, DateTimeOffset? withdrawnAt = null, int caseVersion = 4) => new()
        {
            Id = Guid.CreateVersion7(), CaseId = Guid.NewGuid(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), AreaCode = "37",
            SiteCode = "3704", Level = RoundLevels.Site, ScopeCode = "3704", Result = ResultKinds.SiteApproved, SubmissionNumber = 1,
            CaseVersion = caseVersion, DecidedAt = T0, PublishedAt = publishedAt, WithdrawnAt = withdrawnAt,
        };
        // Held before decisions announced them: nothing in the outbox for any of them.
        var pending = Row();
        await using (var scope = _db.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            db.HeldResults().AddRange(pending, Row(publishedAt: T0), Row(withdrawnAt: T0), Row(caseVersion: 0));
            await db.SaveChangesAsync();
        }
        using var announcer = new HeldResultAnnouncer(_db.Services.GetRequiredService<IServiceScopeFactory>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<HeldResultAnnouncer>.Instance);

        Assert.Equal(1, await announcer.AnnounceAsync(CancellationToken.None));

        var announced = System.Text.Json.JsonSerializer.Deserialize<ApplicationResultHeld>(Assert.Single(await OutboxAsync()).Body, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal((pending.CaseId, pending.CandidateId, ResultNames.SiteApproved, new ReviewPosition(1, 4), T0),
            (announced.CaseId, announced.CandidateId, announced.Result, announced.Position, announced.DecidedAt));
        // The next start announces it again, which Registration ignores (same position).
        Assert.Equal(1, await announcer.AnnounceAsync(CancellationToken.None));
        Assert.Equal(2, Count<ApplicationResultHeld>(await OutboxAsync()));
    }

    [Fact]
    public void Only_the_result_the_case_still_stands_at_is_current()
    {
        var reviewCase = new ReviewCase
        {
            Id = Guid.NewGuid(), RegistrationNumber = "1", AreaCode = "37", SiteCode = "3701", ImageIdsJson = "[]",
            State = CaseState.Rejected, DecidedAt = T0, SubmissionNumber = 2,
        };
        var rejected = new HeldResult { CaseId = reviewCase.Id, Result = ResultKinds.Rejected, DecidedAt = T0 };
        var approved = new HeldResult { CaseId = reviewCase.Id, Result = ResultKinds.Approved, DecidedAt = T0 };
        Assert.True(PublicationRules.IsCurrent(rejected, reviewCase));
        Assert.False(PublicationRules.IsCurrent(approved, reviewCase));
        // A site approval of an earlier submission is not the case's word about this one.
        reviewCase.State = CaseState.AreaReview;
        reviewCase.SiteApprovedAt = T0;
        Assert.False(PublicationRules.IsCurrent(new HeldResult { CaseId = reviewCase.Id, Result = ResultKinds.SiteApproved, DecidedAt = T0, SubmissionNumber = 1 }, reviewCase));
        Assert.True(PublicationRules.IsCurrent(new HeldResult { CaseId = reviewCase.Id, Result = ResultKinds.SiteApproved, DecidedAt = T0, SubmissionNumber = 2 }, reviewCase));
    }
}
