using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// How a candidate's writes to one application meet on PostgreSQL (<see cref="ApplicationWrites"/>): a browser sends
/// its files at once, and each write bumps the application's version. The pass that commits holds the row lock, so
/// no write ever commits on a stale read and none has to roll back and go again; the slow work before a decision (a
/// file's read and store) runs once, in a rehearsal without the lock.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ApplicationWritesPostgresTests(PostgresContainer server) : IAsyncLifetime
{
    private const int Writers = 6;
    private readonly Guid _candidateId = Guid.NewGuid();
    private readonly CatalogStore _catalogs = new();
    private readonly string _connection = new NpgsqlConnectionStringBuilder(server.ConnectionString)
    {
        Database = $"er_writes_{Guid.NewGuid():N}"[..24],
        MaxPoolSize = 20,
    }.ConnectionString;

    private MaterialStoragePostgreSqlDbContext Open() =>
        new(new DbContextOptionsBuilder<MaterialStoragePostgreSqlDbContext>().UseNpgsql(_connection).Options);

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
        db.Applications.Add(new MaterialApplication
        {
            Id = Guid.CreateVersion7(), CandidateId = _candidateId, RegistrationNumber = "2027430100001", ExamYear = 2027,
            AreaCode = "43", SiteCode = "4301", CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var db = Open();
        await db.Database.EnsureDeletedAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Parallel_writes_to_one_application_queue_on_its_row_and_none_commits_twice(bool rehearseFirst)
    {
        var rehearsals = 0;
        var lockedPasses = 0;
        var slowWork = 0;
        var abandoned = 0;
        var refusals = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            await using var db = Open();
            var prepared = false;
            return await ApplicationWrites.WriteWithRetriesAsync(db, _catalogs, _candidateId, TimeProvider.System, rehearseFirst, async context =>
            {
                if (db.Entry(context.Application).State == EntityState.Detached)
                {
                    Interlocked.Increment(ref rehearsals);
                }
                else
                {
                    Interlocked.Increment(ref lockedPasses);
                }
                if (!prepared)
                {
                    // The file's read and store: kept by the caller for the next pass, as ImagesApi keeps its object.
                    prepared = true;
                    Interlocked.Increment(ref slowWork);
                    await Task.Delay(50);
                }
                context.Application.Touch();
                return Decision.Accept();
            }, () => Task.FromResult(Interlocked.Increment(ref abandoned)), CancellationToken.None);
        }));

        Assert.All(refusals, Assert.Null);
        // Every write decided once under the lock and committed that decision: no pass was lost to a race (with an
        // optimistic first pass, five of six lost it and went again).
        Assert.Equal(Writers, lockedPasses);
        Assert.Equal(rehearseFirst ? Writers : 0, rehearsals);
        Assert.Equal(Writers, slowWork);
        Assert.Equal(0, abandoned);
        await using var check = Open();
        Assert.Equal(Writers, await check.Applications.Where(a => a.CandidateId == _candidateId).Select(a => a.Version).SingleAsync());
    }

    /// <summary>
    /// A candidate handed over a moment ago whose application has not arrived (the registration's message is queued):
    /// their write is asked to wait, before its file is read or stored; without a recent hand-over it is not found.
    /// </summary>
    [Fact]
    public async Task A_write_for_an_application_on_its_way_is_refused_as_pending_before_any_work()
    {
        var handedOver = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using (var seed = Open())
        {
            seed.RedeemedHandovers.Add(new RedeemedHandover { TokenId = Guid.NewGuid(), CandidateId = handedOver, RedeemedAt = now, ExpiresAt = now.AddMinutes(2) });
            await seed.SaveChangesAsync();
        }
        var decided = 0;
        var abandoned = 0;
        async Task<Refusal?> WriteAsync(Guid candidateId)
        {
            await using var db = Open();
            return await ApplicationWrites.WriteWithRetriesAsync(db, _catalogs, candidateId, TimeProvider.System, rehearseFirst: true, _ =>
            {
                Interlocked.Increment(ref decided); // reads and stores the file in ImagesApi
                return Task.FromResult(Decision.Accept());
            }, () => Task.FromResult(Interlocked.Increment(ref abandoned)), CancellationToken.None);
        }

        var pending = await WriteAsync(handedOver);
        var unknown = await WriteAsync(Guid.NewGuid());

        Assert.Equal("application_pending", pending?.Code);
        Assert.Equal(RefusalKind.NotYet, pending!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(2), pending.RetryAfter);
        Assert.Equal("application_not_found", unknown?.Code);
        Assert.Null(unknown!.RetryAfter);
        Assert.Equal(0, decided);
        Assert.Equal(2, abandoned); // nothing to remove, but every refused write runs its clean-up
    }

    [Fact]
    public async Task A_rehearsal_that_refuses_answers_without_taking_the_lock_and_abandons_its_work()
    {
        await using var holder = Open();
        await using var transaction = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "Applications" WHERE "CandidateId" = {_candidateId} FOR NO KEY UPDATE""");

        await using var db = Open();
        var abandoned = 0;
        var refusal = MaterialRefusals.ApplicationLocked("已提交审核，材料已锁定。", "Submitted: the materials are locked.");
        var answer = await ApplicationWrites.WriteWithRetriesAsync(db, _catalogs, _candidateId, TimeProvider.System, rehearseFirst: true,
            _ => Task.FromResult<Decision>(refusal), () => Task.FromResult(Interlocked.Increment(ref abandoned)), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10)); // the row is locked by another transaction: a pass that waited for it would hang

        Assert.Same(refusal, answer);
        Assert.Equal(1, abandoned);
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task A_write_given_up_while_it_waits_for_the_lock_removes_what_its_rehearsal_stored()
    {
        // The browser's other uploads hold the row; this client goes away meanwhile (or its request times out).
        await using var holder = Open();
        await using var transaction = await holder.Database.BeginTransactionAsync();
        await holder.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "Applications" WHERE "CandidateId" = {_candidateId} FOR NO KEY UPDATE""");
        using var gone = new CancellationTokenSource();

        await using var db = Open();
        var stored = 0;
        var abandoned = 0;
        var write = ApplicationWrites.WriteWithRetriesAsync(db, _catalogs, _candidateId, TimeProvider.System, rehearseFirst: true, _ =>
        {
            Interlocked.Increment(ref stored); // the rehearsal stores the object; the locked pass never runs
            gone.CancelAfter(TimeSpan.FromMilliseconds(300));
            return Task.FromResult(Decision.Accept());
        }, () => Task.FromResult(Interlocked.Increment(ref abandoned)), gone.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, stored);
        Assert.Equal(1, abandoned);
        await transaction.RollbackAsync();
    }
}
