using ExamReview.Contracts;

namespace ExamReview.Notification.Domain;

/// <summary>What one review event says to the candidate: the SMS template and its variables, and the in-app message.</summary>
public sealed record CandidateNotice(string Template, IReadOnlyDictionary<string, string> Variables, string Kind, string Title, string Body);

/// <summary>
/// The one place that words each review event for the candidate, read by both of its consumers (the SMS and the
/// in-app message), so the two always say the same thing, and decides which events say nothing (a null notice).
/// </summary>
public static class CandidateNotices
{
    public static (Guid CandidateId, CandidateNotice? Notice) For<TMessage>(TMessage message) where TMessage : class => message switch
    {
        // A return that unlocks is told once MaterialStorage's unlock has opened the application (ReturnReachedCandidate),
        // and not at all when uploads made while it was on its way answered it: the candidate has nothing left to do.
        ApplicationReturned { NoticeOnUnlock: true } m => (m.CandidateId, null),
        ApplicationReturned m => (m.CandidateId, Returned(m.Feedback, m.RespondBy)),
        ReturnReachedCandidate m => (m.CandidateId, Returned(m.Feedback, m.RespondBy)),
        ApplicationApproved m => (m.CandidateId, new CandidateNotice(
            SmsTemplates.Approved, new Dictionary<string, string>(), InAppMessageKinds.Decision, "审核通过", "您的报名材料已审核通过。")),
        ApplicationRejected m => (m.CandidateId, new CandidateNotice(
            SmsTemplates.Rejected, new Dictionary<string, string>(), InAppMessageKinds.Decision, "审核拒绝", m.Reason)),
        ReturnDeadlineApproaching m => (m.CandidateId, DeadlineApproaching(m)),
        _ => throw new ArgumentException($"{typeof(TMessage).Name} says nothing to the candidate.", nameof(message)),
    };

    private static CandidateNotice Returned(string feedback, DateTimeOffset respondBy)
    {
        var deadline = ChinaTime.ToMinute(respondBy);
        return new CandidateNotice(
            SmsTemplates.Returned,
            new Dictionary<string, string> { [SmsTemplates.DeadlineVariable] = deadline },
            InAppMessageKinds.Feedback,
            "审核意见：材料需要修改",
            $"{feedback}（请于 {deadline} 前处理）");
    }

    private static CandidateNotice DeadlineApproaching(ReturnDeadlineApproaching message)
    {
        var deadline = ChinaTime.ToMinute(message.RespondBy);
        return new CandidateNotice(
            SmsTemplates.DeadlineReminder,
            new Dictionary<string, string> { [SmsTemplates.DeadlineVariable] = deadline },
            InAppMessageKinds.Reminder,
            "提醒：修改期限将至",
            $"您的报名材料尚有审核意见未处理，请于 {deadline} 前修改并提交。");
    }
}
