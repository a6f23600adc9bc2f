using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Publication;

/// <summary>
/// Issue 18 item 3 on PostgreSQL (Testcontainers): a held round of 200 candidates published by two operators at the
/// same moment. Each candidate's result leaves exactly once (the outbox is what the relay sends, one SMS per message in
/// Notification), and a later publish sends nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RoundPublicationPostgresTests(PostgresContainer server) : IAsyncLifetime
{
    private const int Candidates = 200;
    private readonly string _database = new NpgsqlConnectionStringBuilder(server.ConnectionString)
    {
        Database = $"er_rounds_{Guid.NewGuid():N}"[..24],
    }.ConnectionString;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(new PublicationOptions { Areas = { ["37"] = new AreaPublicationOptions { Mode = PublicationMode.HeldUntilRoundCloses } } });
        services.AddDbContext<ReviewDbContext, ReviewPostgreSqlDbContext>(o => o.UseNpgsql(_database));
        services.AddScoped<RoundPublisher>();
        _services = services.BuildServiceProvider(true);
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        await db.Database.MigrateAsync();
        var decided = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < Candidates; i++)
        {
            var reviewCase = new ReviewCase
            {
                Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = $"2027370100{i:D3}",
                AreaCode = "37", SiteCode = "3701", State = CaseState.Approved, SubmissionNumber = 1, ImageIdsJson = "[]",
                SubmittedAt = decided.AddDays(-1), OpenedAt = decided.AddDays(-1), UpdatedAt = decided, DecidedAt = decided.AddSeconds(i),
            };
            db.Cases.Add(reviewCase);
            ResultRelease.Approved(db, reviewCase, reviewCase.DecidedAt!.Value);
        }
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Database.EnsureDeletedAsync();
        }
        await _services.DisposeAsync();
    }

    private async Task<RoundOutcome?> PublishAsync(string actor)
    {
        await using var scope = _services.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<RoundPublisher>().PublishAsync(RoundLevels.Area, "37", actor, CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null; // the other operator's publish committed first: this one sent nothing
        }
    }

    [Fact]
    public async Task Two_operators_publishing_at_once_release_each_of_200_results_exactly_once_and_a_retry_sends_none()
    {
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            // Held: nothing the candidates see has left yet, only Registration's notice of each held result.
            Assert.Equal(Candidates, await db.OutboxMessages.CountAsync(m => m.MessageType == typeof(ApplicationResultHeld).FullName));
            Assert.Equal(Candidates, await db.OutboxMessages.CountAsync());
        }

        var outcomes = await Task.WhenAll(PublishAsync("operator-1"), PublishAsync("operator-2"));
        Assert.Equal(Candidates, outcomes.Sum(o => o?.Published ?? 0));
        var retry = await PublishAsync("operator-1");
        Assert.Equal(0, retry!.Published);

        await using var check = _services.CreateAsyncScope();
        var review = check.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var outbox = await review.OutboxMessages.AsNoTracking().ToListAsync();
        var approvals = outbox.Where(m => m.MessageType == typeof(ApplicationApproved).FullName).ToList();
        Assert.Equal(Candidates, approvals.Count);
        var cases = await review.Cases.Select(c => c.Id).ToListAsync();
        Assert.All(cases, id => Assert.Single(approvals, m => m.Body.Contains(id.ToString(), StringComparison.Ordinal)));
        Assert.Equal(Candidates, outbox.Count(m => m.MessageType == typeof(ApplicationResultPublished).FullName));
        Assert.Equal(3 * Candidates, outbox.Select(m => m.MessageId).Distinct().Count());

        var held = await review.HeldResults().AsNoTracking().ToListAsync();
        Assert.All(held, h => Assert.NotNull(h.PublishedAt));
        var round = Assert.Single(await review.ResultRounds().AsNoTracking().ToListAsync());
        Assert.Equal((Candidates, 0), (round.Published, round.Withdrawn));
        Assert.All(held, h => Assert.Equal(round.Id, h.RoundId));
    }
}
