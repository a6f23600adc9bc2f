using ExamReview.Contracts;
using ExamReview.Notification.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// Which event tells the candidate of a return. A return that unlocks is told once MaterialStorage's unlock has opened the
/// application (<see cref="ReturnReachedCandidate"/>); ReviewWorkflow's ApplicationReturned says so
/// (<see cref="ApplicationReturned.NoticeOnUnlock"/>) and texts nobody. A return the candidate answered while it was on its
/// way (continuous mode) gets no ReturnReachedCandidate, and so neither the SMS asking them to replace images they already
/// replaced nor the in-app message; before, ApplicationReturned sent both whatever the unlock found. A data return and an
/// older sender's ApplicationReturned are told from that event, as before. Through the real consumers (SQLite), duplicates included.
/// </summary>
public sealed class ReturnNoticeTests
{
    private static readonly DateTimeOffset RespondBy = new(2027, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private const string Feedback = "有效身份证明图片：图片不清晰";
    private const string SeedText = "【湖南考区】您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。";

    private static ApplicationReturned Returned(Guid candidateId, bool noticeOnUnlock) =>
        new(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43", "site", Feedback, RespondBy) { NoticeOnUnlock = noticeOnUnlock };

    private static Task<List<InAppMessage>> InAppAsync(SmsTestRig rig, Guid candidateId) =>
        rig.WithDbAsync(db => db.InAppMessages.AsNoTracking().Where(m => m.CandidateId == candidateId).ToListAsync());

    [Fact]
    public void The_words_are_the_same_from_either_event_and_a_return_told_on_unlock_says_nothing_itself()
    {
        var candidateId = Guid.NewGuid();
        var (fromUnlockId, fromUnlock) = CandidateNotices.For(new ReturnReachedCandidate(Guid.NewGuid(), Guid.NewGuid(), candidateId, "43", Feedback, RespondBy));
        var (_, fromReturn) = CandidateNotices.For(Returned(candidateId, noticeOnUnlock: false));
        var (silentId, silent) = CandidateNotices.For(Returned(candidateId, noticeOnUnlock: true));

        Assert.Equal((candidateId, candidateId), (fromUnlockId, silentId));
        Assert.Null(silent);
        Assert.NotNull(fromUnlock);
        Assert.Equal((fromReturn!.Template, fromReturn.Title, fromReturn.Body), (fromUnlock.Template, fromUnlock.Title, fromUnlock.Body));
        Assert.Equal(fromReturn.Variables, fromUnlock.Variables);
        Assert.Equal(SmsTemplates.Returned, fromUnlock.Template);
    }

    [Fact]
    public async Task A_return_answered_in_transit_sends_nothing_and_one_that_reached_the_candidate_sends_one_sms_and_one_message()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var answered = Guid.NewGuid();
        var reached = Guid.NewGuid();
        var (answeredMobile, reachedMobile) = (SmsTestRig.NewMobile(), SmsTestRig.NewMobile());
        await rig.AddContactAsync(answered, answeredMobile);
        await rig.AddContactAsync(reached, reachedMobile);

        // Both returns unlock; MaterialStorage found the first answered (no ReturnReachedCandidate) and opened the second.
        await rig.PublishAsync(Returned(answered, noticeOnUnlock: true), NewId.NextGuid());
        var returnedId = NewId.NextGuid();
        await rig.PublishAsync(Returned(reached, noticeOnUnlock: true), returnedId);
        var reachedId = NewId.NextGuid();
        var reachedEvent = new ReturnReachedCandidate(Guid.NewGuid(), Guid.NewGuid(), reached, "43", Feedback, RespondBy);
        await rig.PublishAsync(reachedEvent, reachedId);
        await rig.PublishAsync(reachedEvent, reachedId); // a redelivery adds nothing

        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(reached)).All(m => m.Delivery == SmsDeliveryState.Delivered), "the delivery report");
        await rig.RunForAsync(TimeSpan.FromMilliseconds(300));

        Assert.Empty(await rig.SmsForAsync(answered));
        Assert.Empty(rig.Stub.For(answeredMobile));
        Assert.Empty(await InAppAsync(rig, answered));

        var sms = Assert.Single(await rig.SmsForAsync(reached));
        Assert.Equal((SeedText, reachedId), (sms.Text, sms.SourceMessageId));
        Assert.Single(rig.Stub.For(reachedMobile));
        var message = Assert.Single(await InAppAsync(rig, reached));
        Assert.Equal((reachedId, InAppMessageKinds.Feedback), (message.SourceMessageId, message.Kind));
        Assert.StartsWith(Feedback + "（请于 ", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_from_an_older_sender_or_about_registration_data_is_told_from_its_own_event_as_before()
    {
        await using var rig = await SmsTestRig.StartAsync();
        var (candidateId, mobile) = await rig.AddCandidateAsync();

        var messageId = NewId.NextGuid();
        await rig.PublishAsync(Returned(candidateId, noticeOnUnlock: false) with { RegistrationData = true }, messageId);

        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).All(m => m.Delivery == SmsDeliveryState.Delivered), "the delivery report");
        Assert.Equal(messageId, Assert.Single(await rig.SmsForAsync(candidateId)).SourceMessageId);
        Assert.Equal(messageId, Assert.Single(await InAppAsync(rig, candidateId)).SourceMessageId);
    }
}
