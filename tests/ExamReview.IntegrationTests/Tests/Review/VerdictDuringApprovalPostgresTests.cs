using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ReviewWorkflow.Consumers;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Messaging;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// On PostgreSQL (read committed, as the services run): a ✓ decision reads the images' checks outside the case's
/// version token, and a failing verdict moves the case's version in its own transaction (ReviewCase.TakeFailedCheck). A
/// verdict committed between the approval's read and its commit makes the approval conflict; a verdict racing the
/// approval's open transaction waits on the case's row, conflicts itself and, delivered again, lands after the ✓, where
/// the case refuses to pass the image and lets the reviewer withdraw its ✓. The SQLite side: VerdictDuringApprovalTests.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class VerdictDuringApprovalPostgresTests(PostgresContainer server) : IAsyncLifetime
{
    private const string Reviewer = "site-reviewer-1";
    private readonly string _connection = new NpgsqlConnectionStringBuilder(server.ConnectionString)
    {
        Database = $"er_verdict_{Guid.NewGuid():N}"[..24],
    }.ConnectionString;
    private ServiceProvider _services = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxSignal>();
        services.AddDbContext<ReviewDbContext, ReviewPostgreSqlDbContext>(o => o.UseNpgsql(_connection));
        services.AddMassTransitTestHarness(x => x.AddConsumer<MaterialValidatedConsumer>());
        _services = services.BuildServiceProvider(true);
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Database.MigrateAsync();
        }
        _harness = _services.GetRequiredService<ITestHarness>();
        _harness.TestInactivityTimeout = TimeSpan.FromSeconds(2);
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Database.EnsureDeletedAsync();
        }
        await _services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
    }

    private static ValidationFinding Malware() => new(ValidationFindingCodes.MalwareDetected, "恶意文件", "malicious", null, "Eicar-Signature");

    private async Task<(Guid CaseId, Guid CandidateId, Guid ImageId)> CaseWithPassedImageAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var now = DateTimeOffset.UtcNow;
        var imageId = Guid.CreateVersion7();
        var reviewCase = new ReviewCase
        {
            Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", AreaCode = "43",
            SiteCode = "4301", ImageIdsJson = CaseImageIds.ToJson([imageId]), State = CaseState.SiteReview, SubmissionNumber = 1, SubmittedAt = now,
            OpenedAt = now, UpdatedAt = now,
        };
        reviewCase.Claim(Reviewer, now, TimeSpan.FromMinutes(30));
        db.Cases.Add(reviewCase);
        db.ImageReviews.Add(new ImageReview { Id = Guid.CreateVersion7(), CaseId = reviewCase.Id, ImageId = imageId, MaterialType = "id-card", SubmissionNumber = 1 });
        db.KnownImages.Add(new KnownImage { ImageId = imageId, CandidateId = reviewCase.CandidateId, MaterialType = "id-card", Check = ImageCheck.Passed });
        await db.SaveChangesAsync();
        return (reviewCase.Id, reviewCase.CandidateId, imageId);
    }

    /// <summary>What a decision endpoint reads (CaseAccess.LoadAsync, then ChecksAsync): the case with its version, its images, their checks.</summary>
    private static async Task<(ReviewCase Case, List<ImageReview> Images, ImageChecks Checks)> ReadAsync(ReviewDbContext db, Guid caseId)
    {
        var reviewCase = await db.Cases.SingleAsync(c => c.Id == caseId);
        var images = await db.ImageReviews.Where(i => i.CaseId == caseId).OrderBy(i => i.Id).ToListAsync();
        var ids = images.Where(i => i.Current).Select(i => i.ImageId).ToList();
        var checks = await db.KnownImages.AsNoTracking().Where(k => ids.Contains(k.ImageId)).ToDictionaryAsync(k => k.ImageId, k => k.Check);
        return (reviewCase, images, new ImageChecks(checks));
    }

    private async Task<bool> ConsumedAsync(Guid messageId)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().InboxMessages.AnyAsync(m => m.MessageId == messageId);
    }

    /// <summary>Whether a session of this test's database waits for a row lock (the verdict, behind the approval).</summary>
    private async Task<bool> SomeoneWaitsForALockAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private async Task DeliverAsync(MaterialValidated verdict, Guid messageId)
    {
        await _harness.Bus.Publish(verdict, ctx => ctx.MessageId = messageId);
        await Eventually.TrueAsync(() => ConsumedAsync(messageId), "the verdict to be committed");
    }

    [Fact]
    public async Task A_failing_verdict_committed_between_the_read_and_the_commit_makes_the_approval_conflict()
    {
        var (caseId, candidateId, imageId) = await CaseWithPassedImageAsync();
        var now = DateTimeOffset.UtcNow;
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var (reviewCase, images, checks) = await ReadAsync(db, caseId);
        Assert.Equal(ImageCheck.Passed, checks.Of(imageId));

        await DeliverAsync(new MaterialValidated(imageId, candidateId, false, [Malware()], null), NewId.NextGuid());

        var decided = reviewCase.ApproveImage(imageId, images, checks, ReviewLevel.Site, Reviewer, now);
        Assert.Null(decided.Refusal);
        ResultRelease.Record(db, reviewCase, decided, Reviewer, now);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.CommitAsync(CancellationToken.None));

        await using var retry = _services.CreateAsyncScope();
        var fresh = retry.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var (again, againImages, againChecks) = await ReadAsync(fresh, caseId);
        Assert.Equal(ImageDecision.Pending, Assert.Single(againImages).Decision);
        Assert.False(await fresh.OutboxMessages.AnyAsync());
        // The case's history says why the approval conflicted: the verdict's entry, the only one.
        var entry = await fresh.CaseEvents.AsNoTracking().SingleAsync(e => e.CaseId == caseId);
        Assert.Equal((CaseEventKinds.ImageCheckFailed, $"图片 {imageId}检测未通过（发现恶意代码）；案件已更新，此前打开的审核决定需刷新后重试"), (entry.Kind, entry.Detail));
        Assert.Equal("image_check_failed", again.ApproveImage(imageId, againImages, againChecks, ReviewLevel.Site, Reviewer, now).Refusal?.Code);
    }

    [Fact]
    public async Task A_verdict_racing_the_approvals_open_transaction_waits_for_it_and_lands_after_the_tick_which_can_then_be_withdrawn()
    {
        var (caseId, candidateId, imageId) = await CaseWithPassedImageAsync();
        var now = DateTimeOffset.UtcNow;
        var verdict = new MaterialValidated(imageId, candidateId, false, [Malware()], null);
        var verdictId = NewId.NextGuid();
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var (reviewCase, images, checks) = await ReadAsync(db, caseId);
            var decided = reviewCase.ApproveImage(imageId, images, checks, ReviewLevel.Site, Reviewer, now);
            ResultRelease.Record(db, reviewCase, decided, Reviewer, now);
            await db.SaveChangesAsync(); // the ✓ holds the case's row, not yet committed

            await _harness.Bus.Publish(verdict, ctx => ctx.MessageId = verdictId);
            await Eventually.TrueAsync(SomeoneWaitsForALockAsync, "the verdict's update of the case to wait for the approval");
            Assert.False(await ConsumedAsync(verdictId), "the verdict committed while the approval held the case");
            await transaction.CommitAsync();
        }

        // The verdict's version check failed behind the approval: its attempt rolled back (the bus retries it).
        await Eventually.TrueAsync(() => Task.FromResult(_harness.Published.Select<Fault<MaterialValidated>>(f => f.Context.Message.Message.ImageId == imageId).Any()),
            "the verdict's attempt behind the approval to fault");
        await DeliverAsync(verdict, verdictId);

        await using var after = _services.CreateAsyncScope();
        var fresh = after.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var (approved, approvedImages, failedChecks) = await ReadAsync(fresh, caseId);
        Assert.Equal((ImageDecision.Approved, ImageCheck.Failed), (Assert.Single(approvedImages).Decision, failedChecks.Of(imageId)));
        // Its timeline entry came with the attempt that committed, once, and names the ✓ it found.
        var entry = await fresh.CaseEvents.AsNoTracking().SingleAsync(e => e.CaseId == caseId && e.Kind == CaseEventKinds.ImageCheckFailed);
        Assert.StartsWith($"图片 {imageId}（已通过 ✓）检测未通过", entry.Detail, StringComparison.Ordinal);
        // Ordered after the ✓: the case cannot pass the image, and the ✓ is the one a reviewer may withdraw.
        Assert.Equal("image_check_failed", approved.Approve(approvedImages, failedChecks, ReviewLevel.Site, Reviewer, now, MissingMaterialsOverride.None).Refusal?.Code);
        var withdrawn = approved.RequestReplacement(imageId, new ReplacementAsk("other", "检测发现恶意代码，请重新上传"), approvedImages, failedChecks, ReviewLevel.Site, Reviewer, now);
        Assert.Null(withdrawn.Refusal);
        ResultRelease.Record(fresh, approved, withdrawn, Reviewer, now);
        await fresh.CommitAsync(CancellationToken.None);
        Assert.Equal(ImageDecision.ReplacementRequested, (await fresh.ImageReviews.AsNoTracking().SingleAsync(i => i.CaseId == caseId)).Decision);
    }
}
