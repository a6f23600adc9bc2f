using System.Security.Claims;
using ExamReview.Notification.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Api;

public sealed record SmsView(Guid Id, Guid CandidateId, Guid SourceMessageId, string Template, string MobileNumber, string Text, string Status, int Attempts, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

public sealed record InAppMessageView(Guid Id, string Title, string Body, bool Read, DateTimeOffset CreatedAt);

public static class NotificationsApi
{
    public const string Prefix = "/api/v1/notifications";

    public static void MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Notifications");
        group.MapGet("/sms", ListSms).RequireAuthorization(Policies.Operator).WithSummary("SMS deliveries, optionally for one candidate.");
        group.MapGet("/me/messages", MyMessages).RequireAuthorization(Policies.Candidate);
        group.MapPost("/me/messages/{messageId:guid}/read", MarkRead).RequireAuthorization(Policies.Candidate);
    }

    private static async Task<Ok<List<SmsView>>> ListSms(Guid? candidateId, NotificationDbContext db, CancellationToken ct)
    {
        var query = db.SmsMessages.AsNoTracking();
        if (candidateId is { } id)
        {
            query = query.Where(m => m.CandidateId == id);
        }
        var items = await query.OrderByDescending(m => m.CreatedAt).Take(200)
            .Select(m => new SmsView(m.Id, m.CandidateId, m.SourceMessageId, m.Template, m.MobileNumber, m.Text, m.Status.ToString(), m.Attempts, m.Error, m.CreatedAt, m.SentAt))
            .ToListAsync(ct);
        return TypedResults.Ok(items);
    }

    private static async Task<Ok<List<InAppMessageView>>> MyMessages(ClaimsPrincipal user, NotificationDbContext db, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var items = await db.InAppMessages.AsNoTracking().Where(m => m.CandidateId == candidateId).OrderByDescending(m => m.CreatedAt).Take(100)
            .Select(m => new InAppMessageView(m.Id, m.Title, m.Body, m.ReadAt != null, m.CreatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(items);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(Guid messageId, ClaimsPrincipal user, NotificationDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var candidateId = user.CandidateId()!.Value;
        var message = await db.InAppMessages.SingleOrDefaultAsync(m => m.Id == messageId && m.CandidateId == candidateId, ct);
        if (message is null)
        {
            return Problems.NotFound("message_not_found", "No such message in your message centre.");
        }
        message.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
