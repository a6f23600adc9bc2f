using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Consumers;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// An approval reads the images' checks outside the case's version token. A failing verdict committed between that read
/// and the approval's commit moves the case's version with it (MaterialValidatedConsumer, ReviewCase.TakeFailedCheck), so
/// the approval conflicts (409 concurrent_change at the endpoint) instead of committing a ✓, and its retry is refused. On
/// ReviewWorkflow's real consumer and migrations (SQLite), the handlers' own load and commit (CaseAccess).
/// </summary>
public sealed class VerdictDuringApprovalTests : IAsyncLifetime
{
    private const string Reviewer = "site-reviewer-1";
    private ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext> _fixture = null!;

    private ServiceProvider Services => _fixture.Services;

    public async Task InitializeAsync() =>
        _fixture = await ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext>.StartAsync(x => x.AddConsumer<MaterialValidatedConsumer>(), null, TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private static ValidationFinding Malware() => new(ValidationFindingCodes.MalwareDetected, "恶意文件", "malicious", null, "Eicar-Signature");

    /// <summary>A case held by the reviewer with one image whose check passed (already ✓ when <paramref name="approved"/>).</summary>
    private async Task<(Guid CaseId, Guid CandidateId, Guid ImageId)> CaseWithPassedImageAsync(bool approved = false, CaseState state = CaseState.SiteReview)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var now = DateTimeOffset.UtcNow;
        var imageId = Guid.CreateVersion7();
        var reviewCase = new ReviewCase
        {
            Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", AreaCode = "43",
            SiteCode = "4301", ImageIdsJson = CaseImageIds.ToJson([imageId]), State = state, SubmissionNumber = 1, SubmittedAt = now, OpenedAt = now, UpdatedAt = now,
        };
        if (state == CaseState.SiteReview)
        {
            reviewCase.Claim(Reviewer, now, TimeSpan.FromMinutes(30));
        }
        db.Cases.Add(reviewCase);
        db.ImageReviews.Add(new ImageReview
        {
            Id = Guid.CreateVersion7(), CaseId = reviewCase.Id, ImageId = imageId, MaterialType = "id-card", SubmissionNumber = 1,
            Decision = approved ? ImageDecision.Approved : ImageDecision.Pending,
        });
        db.KnownImages.Add(new KnownImage { ImageId = imageId, CandidateId = reviewCase.CandidateId, MaterialType = "id-card", Check = ImageCheck.Passed });
        await db.SaveChangesAsync();
        return (reviewCase.Id, reviewCase.CandidateId, imageId);
    }

    /// <summary>Publishes the verdict and waits until its consumer has committed it.</summary>
    private async Task DeliverAsync(MaterialValidated verdict, Guid? messageId = null)
    {
        var id = messageId ?? NewId.NextGuid();
        await _fixture.Harness.Bus.Publish(verdict, ctx => ctx.MessageId = id);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await InboxHasAsync(id))
        {
            Assert.True(DateTime.UtcNow < deadline, "the verdict was not consumed");
            await Task.Delay(20);
        }
    }

    private async Task<bool> InboxHasAsync(Guid messageId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().InboxMessages.AnyAsync(m => m.MessageId == messageId);
    }

    private async Task<int> VersionAsync(Guid caseId)
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Cases.AsNoTracking().SingleAsync(c => c.Id == caseId)).Version;
    }

    private async Task<List<string?>> CheckFailedEntriesAsync(Guid caseId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().CaseEvents.AsNoTracking()
            .Where(e => e.CaseId == caseId && e.Kind == CaseEventKinds.ImageCheckFailed).Select(e => e.Detail).ToListAsync();
    }

    /// <summary>The ✓ decision a handler makes: one image (DecisionsApi.ApproveImage), or the application (考点通过).</summary>
    private static DecisionResult Decide(ReviewCase reviewCase, Guid imageId, IReadOnlyList<ImageReview> images, ImageChecks checks, bool application, DateTimeOffset now) =>
        application
            ? reviewCase.Approve(images, checks, ReviewLevel.Site, Reviewer, now, MissingMaterialsOverride.None)
            : reviewCase.ApproveImage(imageId, images, checks, ReviewLevel.Site, Reviewer, now);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_verdict_between_an_approvals_read_and_its_commit_makes_it_conflict_and_its_retry_is_refused(bool application)
    {
        var (caseId, candidateId, imageId) = await CaseWithPassedImageAsync(approved: application);
        var now = DateTimeOffset.UtcNow;
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            // The handler's reads: the case (its version) and its images, then the checks, which passed.
            var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, CancellationToken.None);
            var checks = await CaseAccess.ChecksAsync(db, images, CancellationToken.None);
            Assert.Equal(ImageCheck.Passed, checks.Of(imageId));

            // Malware found by newer signatures: the verdict commits now, between the reads and the commit.
            await DeliverAsync(new MaterialValidated(imageId, candidateId, false, [Malware()], null));

            var decided = Decide(reviewCase!, imageId, images, checks, application, now);
            Assert.Null(decided.Refusal); // decided on what it read: only the commit can catch the verdict
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() =>
                CaseAccess.CommitAsync(new CaseDecision(db, reviewCase!, images, Reviewer, now), decided, CancellationToken.None));
        }

        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            // Nothing of the approval committed: no ✓, no state change, nothing sent to MaterialStorage.
            var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, CancellationToken.None);
            Assert.Equal(CaseState.SiteReview, reviewCase!.State);
            Assert.Equal(application ? ImageDecision.Approved : ImageDecision.Pending, Assert.Single(images).Decision);
            Assert.False(await db.OutboxMessages.AnyAsync());
            // The timeline holds the verdict's entry only: why the approval conflicted, in Chinese.
            var entry = await db.CaseEvents.SingleAsync(e => e.CaseId == caseId);
            Assert.Equal((CaseEventKinds.ImageCheckFailed, "system"), (entry.Kind, entry.Actor));
            Assert.Equal(
                $"图片 {imageId}{(application ? "（已通过 ✓）" : "")}检测未通过（发现恶意代码）；案件已更新，此前打开的审核决定需刷新后重试"
                + (application ? "，申请不能通过，可要求重传以撤回 ✓" : ""),
                entry.Detail);
            // The retry (the reviewer's next click) reads the failed check and is refused.
            var retried = Decide(reviewCase, imageId, images, await CaseAccess.ChecksAsync(db, images, CancellationToken.None), application, now);
            Assert.Equal("image_check_failed", retried.Refusal?.Code);
        }
    }

    [Fact]
    public async Task Only_a_verdict_that_fails_an_image_moves_the_case_and_only_while_the_case_awaits_a_decision()
    {
        var (caseId, candidateId, imageId) = await CaseWithPassedImageAsync();
        var version = await VersionAsync(caseId);

        await DeliverAsync(new MaterialValidated(imageId, candidateId, true, [], null));
        Assert.Equal(version, await VersionAsync(caseId)); // a passing verdict cannot make a ✓ wrong

        var failing = NewId.NextGuid();
        await DeliverAsync(new MaterialValidated(imageId, candidateId, false, [new ValidationFinding("doc-blurry", "图片不清晰", "blurry", null, null)], null), failing);
        Assert.Equal(version + 1, await VersionAsync(caseId));
        Assert.Equal([$"图片 {imageId}检测未通过；案件已更新，此前打开的审核决定需刷新后重试"], await CheckFailedEntriesAsync(caseId));
        // Its redelivery is a duplicate, and malware found on an image already failed changes nothing a decision reads.
        await DeliverAsync(new MaterialValidated(imageId, candidateId, false, [new ValidationFinding("doc-blurry", "图片不清晰", "blurry", null, null)], null), failing);
        await DeliverAsync(new MaterialValidated(imageId, candidateId, false, [Malware()], null));
        Assert.Equal(version + 1, await VersionAsync(caseId));
        Assert.Single(await CheckFailedEntriesAsync(caseId));

        // A returned case gives no ✓ until it is submitted again: its version stays, and its timeline has nothing to explain.
        var (returnedId, returnedCandidate, returnedImage) = await CaseWithPassedImageAsync(state: CaseState.Returned);
        var returnedVersion = await VersionAsync(returnedId);
        await DeliverAsync(new MaterialValidated(returnedImage, returnedCandidate, false, [Malware()], null));
        Assert.Equal(returnedVersion, await VersionAsync(returnedId));
        Assert.Empty(await CheckFailedEntriesAsync(returnedId));
        Assert.False(await _fixture.Harness.Published.Any<Fault>());
    }
}
