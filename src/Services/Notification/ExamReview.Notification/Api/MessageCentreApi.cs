using System.Security.Claims;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Paging;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Api;

public sealed record InAppMessageView(Guid Id, string Kind, string Title, string Body, bool Read, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>A page of the message centre, newest first: send <c>nextCursor</c> as <c>cursor</c> for the older ones (null: no more).</summary>
public sealed record InAppMessagePage(IReadOnlyList<InAppMessageView> Items, string? NextCursor);

public sealed record MessageCentreSummary(int Total, int Unread);

public sealed record MarkedRead(int Marked);

/// <summary>The candidate's message centre: reviewer feedback, decisions and reminders, read and unread.</summary>
public static class MessageCentreApi
{
    private static readonly string[] Kinds = [InAppMessageKinds.Feedback, InAppMessageKinds.Decision, InAppMessageKinds.Reminder, InAppMessageKinds.Notice];

    public static void MapMessageCentreApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(NotificationsApi.Prefix + "/me/messages").WithTags("Message centre").RequireAuthorization(Policies.Candidate);
        group.MapGet("", MyMessages).WithName("listMyMessages").WithSummary("本人的站内消息（最新在前，可按未读和类型筛选）").WithDescription("The caller's messages, newest first; filter by unread and kind.");
        group.MapGet("/pages", MyMessagePage).WithName("pageMyMessages").WithSummary("本人的站内消息分页（最新在前，用 nextCursor 继续读更早的消息）")
            .WithDescription("The caller's messages newest first, a page at a time: send the previous page's nextCursor as cursor to read older ones (null: none left). Same filters as listMyMessages.");
        group.MapGet("/summary", Summary).WithName("getMyMessageSummary").WithSummary("本人的消息总数和未读数").WithDescription("How many messages the caller has, and how many are unread.");
        group.MapPost("/{messageId:guid}/read", MarkRead).WithName("markMessageRead").WithSummary("把一条消息标为已读").ProducesProblemCodes(StatusCodes.Status404NotFound, "message_not_found");
        group.MapPost("/read-all", MarkAllRead).WithName("markAllMessagesRead").WithSummary("把全部消息标为已读");
    }

    public sealed record MyMessagesCall(ClaimsPrincipal User, NotificationDbContext Db);

    // The filters stay the handler's own parameters: a value that does not parse is answered (400) under the
    // parameter's name, which through a record would be the property's ("Limit").
    // The first list, kept as it was for the callers that read a bare array: the newest page only (at most 100).
    private static async Task<Results<Ok<List<InAppMessageView>>, ProblemHttpResult>> MyMessages(
        bool? unread, string? kind, int? limit, [AsParameters] MyMessagesCall call, CancellationToken ct)
    {
        var (page, refused) = await PageAsync(unread, kind, null, limit, call, ct);
        return refused ?? (Results<Ok<List<InAppMessageView>>, ProblemHttpResult>)TypedResults.Ok(page!.Items.ToList());
    }

    private static async Task<Results<Ok<InAppMessagePage>, ProblemHttpResult>> MyMessagePage(
        bool? unread, string? kind, string? cursor, int? limit, [AsParameters] MyMessagesCall call, CancellationToken ct)
    {
        var (page, refused) = await PageAsync(unread, kind, cursor, limit, call, ct);
        return refused ?? (Results<Ok<InAppMessagePage>, ProblemHttpResult>)TypedResults.Ok(page!);
    }

    /// <summary>
    /// Keyset paging on (CreatedAt, Id) descending, as the review queue pages (the index on CandidateId, CreatedAt):
    /// stays cheap however many messages a candidate has, and a message arriving between pages shifts nothing.
    /// </summary>
    private static async Task<(InAppMessagePage? Page, ProblemHttpResult? Refused)> PageAsync(
        bool? unread, string? kind, string? cursor, int? limit, MyMessagesCall call, CancellationToken ct)
    {
        var (user, db) = call;
        var position = default((DateTimeOffset At, Guid Id));
        var errors = new RequestErrors()
            .Require(limit is null or >= 1 and <= 100, "limit", "应在 1 到 100 之间。", "must be between 1 and 100")
            .Require(kind is null || Kinds.Contains(kind, StringComparer.Ordinal), "kind", $"必须是以下之一：{string.Join("、", Kinds)}。", $"must be one of {string.Join(", ", Kinds)}")
            .Require(cursor is null || KeysetCursor.TryParse(cursor, out position), "cursor", "不是本接口返回的翻页游标。", "is not a cursor returned by this API");
        if (errors.Any)
        {
            return (null, errors.ToProblem());
        }
        var candidateId = user.CandidateId()!.Value;
        var query = db.InAppMessages.AsNoTracking().Where(m => m.CandidateId == candidateId);
        if (unread is { } onlyUnread)
        {
            query = onlyUnread ? query.Where(m => m.ReadAt == null) : query.Where(m => m.ReadAt != null);
        }
        if (kind is not null)
        {
            query = query.Where(m => m.Kind == kind);
        }
        if (cursor is not null)
        {
            // The redundant "CreatedAt <= t" gives the database an index range to start from instead of filtering the OR.
            query = query.Where(m => m.CreatedAt <= position.At
                && (m.CreatedAt < position.At || m.Id.CompareTo(position.Id) < 0));
        }
        var take = limit ?? 100;
        var items = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(take + 1)
            .Select(m => new InAppMessageView(m.Id, m.Kind, m.Title, m.Body, m.ReadAt != null, m.CreatedAt, m.ReadAt))
            .ToListAsync(ct);
        var next = items.Count > take ? KeysetCursor.Format(items[take - 1].CreatedAt, items[take - 1].Id) : null;
        return (new InAppMessagePage(items.Take(take).ToList(), next), null);
    }

    private static async Task<Ok<MessageCentreSummary>> Summary(ClaimsPrincipal user, NotificationDbContext db, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var total = await db.InAppMessages.CountAsync(m => m.CandidateId == candidateId, ct);
        var unread = await db.InAppMessages.CountAsync(m => m.CandidateId == candidateId && m.ReadAt == null, ct);
        return TypedResults.Ok(new MessageCentreSummary(total, unread));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(Guid messageId, ClaimsPrincipal user, NotificationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var message = await db.InAppMessages.SingleOrDefaultAsync(m => m.Id == messageId && m.CandidateId == candidateId, ct);
        if (message is null)
        {
            return Problems.NotFound("message_not_found", "您的消息中心里没有这条消息。", "No such message in your message centre.");
        }
        message.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MarkedRead>> MarkAllRead(ClaimsPrincipal user, NotificationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var now = clock.GetUtcNow();
        var marked = await db.InAppMessages.Where(m => m.CandidateId == candidateId && m.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReadAt, now), ct);
        return TypedResults.Ok(new MarkedRead(marked));
    }
}
