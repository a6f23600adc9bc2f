using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Consumers;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.UnitTests.Support;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Review;

/// <summary>ReviewWorkflow's consumers on MassTransit's in-memory harness and the service's real migrations (SQLite).</summary>
public sealed class ReviewConsumerTests : IAsyncLifetime
{
    private ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext> _fixture = null!;

    private ServiceProvider Services => _fixture.Services;

    private ITestHarness Harness => _fixture.Harness;

    public async Task InitializeAsync()
    {
        _fixture = await ConsumerHarness<ReviewDbContext, ReviewSqliteDbContext>.StartAsync(x =>
        {
            x.AddConsumer<ApplicationSubmittedConsumer>();
            x.AddConsumer<CandidateRegisteredConsumer>();
            x.AddConsumer<MaterialUploadedConsumer>();
            x.AddConsumer<MaterialLocksChangedConsumer>();
            x.AddConsumer<MaterialValidatedConsumer>();
            x.AddConsumer<RegistrationCorrectedConsumer>();
        }, null, TimeSpan.FromSeconds(1));
    }

    /// <summary>Publishes and waits until the (one) consumer of <typeparamref name="T"/> has handled this very copy.</summary>
    private async Task PublishAndSettleAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        var before = Harness.Consumed.Select<T>(x => x.Context.MessageId == id).Count();
        await Harness.Bus.Publish(message, ctx => ctx.MessageId = id);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Harness.Consumed.Select<T>(x => x.Context.MessageId == id).Count() <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{typeof(T).Name} {id} was not consumed");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_resubmission_flags_each_replacement_with_what_it_replaces_and_a_duplicate_changes_nothing()
    {
        var candidateId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        Guid front = Guid.NewGuid(), back = Guid.NewGuid(), diploma = Guid.NewGuid(), newBack = Guid.NewGuid();
        await PublishAndSettleAsync(new CandidateRegistered(candidateId, Guid.NewGuid(), "2027430100001", 2027, "43", "4301", "practitioner-clinical"));
        foreach (var (image, type) in new[] { (front, "id-card"), (back, "id-card"), (diploma, "graduation-certificate"), (newBack, "id-card") })
        {
            await PublishAndSettleAsync(new MaterialUploaded(image, applicationId, candidateId, "2027430100001", type, "image/jpeg", 1000, "00", MaterialObjects.OriginalKey(applicationId, image)));
        }
        var at = new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
        await PublishAndSettleAsync(new ApplicationSubmitted(applicationId, candidateId, "2027430100001", "43", "4301", 1, [front, back, diploma], at));

        Guid caseId;
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            var reviewCase = await db.Cases.SingleAsync(c => c.ApplicationId == applicationId);
            caseId = reviewCase.Id;
            Assert.Equal("practitioner-clinical", reviewCase.ExamCategory);
            Assert.Equal(at, reviewCase.OpenedAt);
            var rows = await db.ImageReviews.Where(i => i.CaseId == caseId).ToListAsync();
            Assert.Equal(3, rows.Count);
            Assert.Equal("graduation-certificate", rows.Single(r => r.ImageId == diploma).MaterialType);

            // The site reviewer approved two images and asked for the back of the ID again, then returned the case.
            foreach (var row in rows)
            {
                row.Decision = row.ImageId == back ? ImageDecision.ReplacementRequested : ImageDecision.Approved;
                row.ReasonCode = row.ImageId == back ? "unclear" : null;
            }
            reviewCase.TryApply(ReviewAction.Return, at);
            await db.SaveChangesAsync();
        }

        var resubmission = new ApplicationSubmitted(applicationId, candidateId, "2027430100001", "43", "4301", 2, [front, diploma, newBack], at.AddHours(1));
        var messageId = NewId.NextGuid();
        await PublishAndSettleAsync(resubmission, messageId);
        // The same message again (the inbox skips it), then a copy under another id (the submission number is already known).
        await Harness.Bus.Publish(resubmission, ctx => ctx.MessageId = messageId);
        await PublishAndSettleAsync(resubmission);
        await Task.Delay(500);
        Assert.False(await Harness.Published.Any<Fault<ApplicationSubmitted>>());

        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            var reviewCase = await db.Cases.SingleAsync(c => c.Id == caseId);
            Assert.Equal(CaseState.SiteReview, reviewCase.State);
            Assert.Equal(2, reviewCase.SubmissionNumber);
            Assert.True(reviewCase.ResubmittedSinceReview);
            Assert.Equal(at, reviewCase.OpenedAt);
            var rows = await db.ImageReviews.Where(i => i.CaseId == caseId).ToListAsync();
            Assert.Equal(4, rows.Count);
            Assert.False(rows.Single(r => r.ImageId == back).Current);
            var replacement = rows.Single(r => r.ImageId == newBack);
            Assert.Equal(back, replacement.ReplacesImageId);
            Assert.Equal(ImageDecision.ReplacementRequested, replacement.PreviousDecision);
            Assert.Equal("unclear", replacement.PreviousReasonCode);
            Assert.Equal(ImageDecision.Pending, replacement.Decision);
            Assert.All(rows.Where(r => r.ImageId == front || r.ImageId == diploma), r => Assert.Equal(ImageDecision.Approved, r.Decision));
            var kinds = await db.CaseEvents.Where(e => e.CaseId == caseId).OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Kind).ToListAsync();
            Assert.Equal([CaseEventKinds.Submitted, CaseEventKinds.Resubmitted], kinds);
        }
    }

    [Fact]
    public async Task A_category_arriving_after_the_submission_fills_in_the_case()
    {
        var candidateId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        await PublishAndSettleAsync(new ApplicationSubmitted(applicationId, candidateId, "2027430100002", "43", "4301", 1, [Guid.NewGuid()], DateTimeOffset.UtcNow));
        await PublishAndSettleAsync(new CandidateRegistered(candidateId, Guid.NewGuid(), "2027430100002", 2027, "43", "4301", "assistant-clinical"));
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var reviewCase = await db.Cases.SingleAsync(c => c.ApplicationId == applicationId);
        Assert.Equal("assistant-clinical", reviewCase.ExamCategory);
        Assert.Null((await db.ImageReviews.SingleAsync(i => i.CaseId == reviewCase.Id)).MaterialType);
    }

    [Fact]
    public async Task A_late_hand_over_or_an_older_correction_never_undoes_the_latest_exam_category()
    {
        var candidateId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        static RegistrationCorrected Correction(Guid candidateId, string category, int version) =>
            new(candidateId, Guid.NewGuid(), "2027430100003", "43", "4301", category, ["examCategory"], "类别填错", "site-staff-1", DateTimeOffset.UtcNow)
            {
                RegistrationVersion = version,
            };
        await PublishAndSettleAsync(new ApplicationSubmitted(applicationId, candidateId, "2027430100003", "43", "4301", 1, [Guid.NewGuid()], DateTimeOffset.UtcNow));
        // The staff's second correction is handled first, then the first one and the hand-over arrive late (retried).
        await PublishAndSettleAsync(Correction(candidateId, "assistant-clinical", 4));
        await PublishAndSettleAsync(Correction(candidateId, "practitioner-dental", 2));
        await PublishAndSettleAsync(new CandidateRegistered(candidateId, Guid.NewGuid(), "2027430100003", 2027, "43", "4301", "practitioner-clinical"));

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var profile = await db.CandidateProfiles.AsNoTracking().SingleAsync(p => p.CandidateId == candidateId);
        Assert.Equal(("assistant-clinical", 4), (profile.ExamCategory, profile.RegistrationVersion));
        var reviewCase = await db.Cases.AsNoTracking().SingleAsync(c => c.ApplicationId == applicationId);
        Assert.Equal("assistant-clinical", reviewCase.ExamCategory);
        // Both corrections are on the case's timeline all the same: only the older one's category was stale.
        Assert.Equal(2, await db.CaseEvents.CountAsync(e => e.CaseId == reviewCase.Id && e.Kind == CaseEventKinds.RegistrationCorrected));
    }

    [Fact]
    public async Task Only_a_correction_made_after_a_data_return_resumes_the_case_and_once_however_often_it_is_delivered()
    {
        var candidateId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        var at = new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var returnedAt = at.AddHours(2);
        await PublishAndSettleAsync(new ApplicationSubmitted(applicationId, candidateId, "2027430100004", "43", "4301", 1, [Guid.NewGuid()], at));
        Guid caseId;
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            var reviewCase = await db.Cases.SingleAsync(c => c.ApplicationId == applicationId);
            caseId = reviewCase.Id;
            reviewCase.Claim("site-reviewer-1", returnedAt, TimeSpan.FromMinutes(15));
            Assert.Null(reviewCase.Return(new ReviewerReturn("证件号码与身份证不一致，请联系考点更正", [], true), [], ImageChecks.None, ReviewLevel.Site, "site-reviewer-1", returnedAt,
                TimeSpan.FromDays(1), new Dictionary<Guid, string>()).Refusal);
            await db.SaveChangesAsync();
        }
        RegistrationCorrected Correction(DateTimeOffset correctedAt, int version) =>
            new(candidateId, Guid.NewGuid(), "2027430100004", "43", "4301", "practitioner-clinical", ["idNumber"], "核对身份证", "site-staff-1", correctedAt)
            {
                FieldNamesZh = ["证件号码"], RegistrationVersion = version,
            };
        async Task<(CaseState State, int Resumed, int Corrected)> StateAsync()
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
            var state = (await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId)).State;
            var resumed = await db.OutboxMessages.CountAsync(m => m.MessageType.Contains(nameof(ReviewResumed)));
            return (state, resumed, await db.CaseEvents.CountAsync(e => e.CaseId == caseId && e.Kind == CaseEventKinds.RegistrationCorrected));
        }

        // Made an hour before the return (the ID number of another matter), consumed after it from a backlog: recorded only.
        await PublishAndSettleAsync(Correction(returnedAt.AddHours(-1), 2));
        Assert.Equal((CaseState.Returned, 0, 1), await StateAsync());

        // The correction the return asked for; then the same message again (redelivered): the inbox takes it once.
        var messageId = NewId.NextGuid();
        await PublishAndSettleAsync(Correction(returnedAt.AddMinutes(20), 3), messageId);
        await Harness.Bus.Publish(Correction(returnedAt.AddMinutes(20), 3), ctx => ctx.MessageId = messageId);
        await Task.Delay(500);
        Assert.Equal((CaseState.SiteReview, 1, 2), await StateAsync());
        Assert.False(await Harness.Published.Any<Fault<RegistrationCorrected>>());
    }

    [Fact]
    public async Task A_lock_snapshot_ahead_of_the_upload_keeps_its_lock_and_the_upload_fills_in_the_material()
    {
        // Snapshots come only when a lock moves, so 提交审核's may overtake the MaterialUploaded of the last image.
        var candidateId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        Guid early = Guid.NewGuid(), late = Guid.NewGuid(), never = Guid.NewGuid();
        MaterialUploaded Uploaded(Guid image, string type) =>
            new(image, applicationId, candidateId, "2027430100003", type, "image/jpeg", 1000, "00", MaterialObjects.OriginalKey(applicationId, image)) { MaterialName = type + " name" };
        await PublishAndSettleAsync(Uploaded(early, "photo"));
        ImageLockSnapshot[] Locks(string state, string label) => [new(early, state, label), new(late, state, label), new(never, state, label)];
        await PublishAndSettleAsync(new MaterialLocksChanged(applicationId, candidateId, 5, Locks("Locked", "已锁定")));
        await PublishAndSettleAsync(Uploaded(late, "id-card"));
        await PublishAndSettleAsync(new MaterialLocksChanged(applicationId, candidateId, 4, Locks("Open", "可修改"))); // older, late
        await PublishAndSettleAsync(new ApplicationSubmitted(applicationId, candidateId, "2027430100003", "43", "4301", 1, [early, late, never], DateTimeOffset.UtcNow));

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReviewDbContext>();
        var known = await db.KnownImages.Where(k => k.CandidateId == candidateId).ToDictionaryAsync(k => k.ImageId);
        Assert.All(known.Values, k => Assert.Equal(("Locked", "已锁定", 5), (k.LockState, k.LockLabel, k.LockVersion)));
        Assert.Equal(("id-card", "id-card name"), (known[late].MaterialType, known[late].MaterialName));
        Assert.Equal(("photo", "photo name"), (known[early].MaterialType, known[early].MaterialName));
        Assert.Equal((KnownImage.NotYetKnown, null), (known[never].MaterialType, known[never].MaterialName));

        var reviewCase = await db.Cases.SingleAsync(c => c.ApplicationId == applicationId);
        var types = await db.ImageReviews.Where(i => i.CaseId == reviewCase.Id).ToDictionaryAsync(i => i.ImageId, i => i.MaterialType);
        Assert.Equal("id-card", types[late]);
        Assert.Null(types[never]); // its upload not known yet: no type rather than an empty one
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private async Task<KnownImage?> KnownAsync(Guid imageId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().KnownImages.AsNoTracking().SingleOrDefaultAsync(k => k.ImageId == imageId);
    }

    private static Guid VerdictId(MaterialValidated verdict) => MaterialObjects.VerdictMessageId(
        verdict.ImageId, infected: verdict.Findings.Any(f => f.Code == ValidationFindingCodes.MalwareDetected));

    private static readonly ValidationFinding Malware = new(ValidationFindingCodes.MalwareDetected, "恶意文件", "malicious", null, "Eicar-Signature");

    [Fact]
    public async Task A_verdict_before_its_upload_is_kept_and_the_upload_fills_in_the_rest()
    {
        var candidateId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        var imageId = Guid.NewGuid();
        var verdict = new MaterialValidated(imageId, candidateId, true, [], MaterialObjects.ReviewerCopyKey(applicationId, imageId));
        await PublishAndSettleAsync(verdict, VerdictId(verdict));
        var early = await KnownAsync(imageId);
        Assert.Equal((ImageCheck.Passed, KnownImage.NotYetKnown, (string?)null), (early!.Check, early.MaterialType, early.LockState));

        await PublishAndSettleAsync(new MaterialUploaded(imageId, applicationId, candidateId, "2027430100001", "id-card", "image/jpeg", 1000, "00",
            MaterialObjects.OriginalKey(applicationId, imageId)) { MaterialName = "有效身份证明" });

        var known = await KnownAsync(imageId);
        Assert.Equal((ImageCheck.Passed, "id-card", "有效身份证明", "Open"), (known!.Check, known.MaterialType, known.MaterialName, known.LockState));
        Assert.False(await Harness.Published.Any<Fault<MaterialValidated>>());
    }

    [Fact]
    public async Task An_infected_verdict_is_never_replaced_by_a_clean_one_and_a_redelivery_changes_nothing()
    {
        var candidateId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        var imageId = Guid.NewGuid();
        await PublishAndSettleAsync(new MaterialUploaded(imageId, applicationId, candidateId, "2027430100001", "id-card", "image/jpeg", 1000, "00",
            MaterialObjects.OriginalKey(applicationId, imageId)));
        Assert.Equal(ImageCheck.Pending, (await KnownAsync(imageId))!.Check);

        // Re-judged after a signature update: the infected verdict overtakes the clean one, or arrives after it.
        var infected = new MaterialValidated(imageId, candidateId, false, [Malware], null);
        var clean = new MaterialValidated(imageId, candidateId, true, [], MaterialObjects.ReviewerCopyKey(applicationId, imageId));
        await PublishAndSettleAsync(infected, VerdictId(infected));
        await PublishAndSettleAsync(clean, VerdictId(clean));
        await Harness.Bus.Publish(clean, ctx => ctx.MessageId = VerdictId(clean)); // redelivered under its keyed id: the inbox skips it
        await PublishAndSettleAsync(clean); // a copy under another id is judged again, and refused again

        var known = await KnownAsync(imageId);
        Assert.Equal((ImageCheck.Failed, true), (known!.Check, known.Infected));
        Assert.False(await Harness.Published.Any<Fault<MaterialValidated>>());
    }

    [Fact]
    public async Task A_submission_carries_the_verdicts_this_service_missed_and_never_overrides_one_it_has()
    {
        // Uploaded while this service was down for a deploy: the uploads wait in its queue, the verdicts were published
        // before its subscription to them existed. Without the submission's copy the images would stay pending for good.
        var candidateId = Guid.NewGuid();
        var applicationId = Guid.NewGuid();
        var (missed, missedInfected, rescanned, running) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in new[] { missed, missedInfected, rescanned, running })
        {
            await PublishAndSettleAsync(new MaterialUploaded(id, applicationId, candidateId, "2027430100009", "id-card", "image/jpeg", 1000, "00",
                MaterialObjects.OriginalKey(applicationId, id)));
        }
        // One verdict did arrive here, from a later scan than the copy the submission carries.
        var later = new MaterialValidated(rescanned, candidateId, false, [], null);
        await PublishAndSettleAsync(later, VerdictId(later));

        await PublishAndSettleAsync(new ApplicationSubmitted(applicationId, candidateId, "2027430100009", "43", "4301", 1, [missed, missedInfected, rescanned, running],
            DateTimeOffset.UtcNow)
        {
            Checks = [new(missed, true, false), new(missedInfected, false, true), new(rescanned, true, false)],
        });

        Assert.Equal(ImageCheck.Passed, (await KnownAsync(missed))!.Check);
        Assert.Equal((ImageCheck.Failed, true), ((await KnownAsync(missedInfected))!.Check, (await KnownAsync(missedInfected))!.Infected));
        Assert.Equal(ImageCheck.Failed, (await KnownAsync(rescanned))!.Check); // its own verdict stands
        Assert.Equal(ImageCheck.Pending, (await KnownAsync(running))!.Check); // still being checked: the verdict will come
    }
}
