using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Paging;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>The queue's filters and page (<c>GET /api/v1/reviews/cases</c>): every one optional, all combined with AND.</summary>
public sealed record CaseListRequest(
    [FromQuery(Name = "state")] string? State,
    [FromQuery(Name = "category")] string? Category,
    [FromQuery(Name = "submittedFrom")] DateTimeOffset? SubmittedFrom,
    [FromQuery(Name = "submittedTo")] DateTimeOffset? SubmittedTo,
    [FromQuery(Name = "overdue")] bool? Overdue,
    [FromQuery(Name = "escalated")] bool? Escalated,
    [FromQuery(Name = "resubmitted")] bool? Resubmitted,
    [FromQuery(Name = "claimed")] bool? Claimed,
    [FromQuery(Name = "mine")] bool? Mine,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "limit")] int? Limit);

/// <summary>
/// Turns a <see cref="CaseListRequest"/> into the page's query, or a problem naming the parameter that is wrong. The
/// shapes matter for speed at ten million cases (README, Capacity): keyset order on (SubmittedAt, Id), literal
/// predicates where a partial index expects them, keys first for the filters that find their rows by a range.
/// </summary>
internal static class CaseQueueQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The page size asked for (checked by <see cref="Build"/>), or the default.</summary>
    public static int Take(CaseListRequest request) => request.Limit ?? DefaultPageSize;

    /// <summary>The page's rows (one more than <see cref="Take"/>, to know whether a next page exists), or why not.</summary>
    public static (IQueryable<ReviewCase>? Page, ProblemHttpResult? Refusal) Build(ReviewDbContext db, CaseListRequest request, ClaimsPrincipal user, DateTimeOffset now)
    {
        if (request.Limit is < 1 or > MaxPageSize)
        {
            // Said, not clamped: a client asking for 1,000 should learn it gets at most 200, not find out by counting.
            return (null, Problems.Invalid("limit", $"应为 1 至 {MaxPageSize}。", $"must be 1 to {MaxPageSize}"));
        }
        IQueryable<ReviewCase> query = db.Cases.AsNoTracking();
        query = CaseAccess.LevelOf(user) == ReviewLevel.Site
            ? query.Where(c => c.SiteCode == user.Site())
            : query.Where(c => c.AreaCode == user.Area());
        if (request.State is { } state)
        {
            // By name only: Enum.TryParse also takes numbers ("0") and comma lists ("SiteReview,Returned" as flags).
            if (Enum.GetNames<CaseState>().FirstOrDefault(name => name.Equals(state, StringComparison.OrdinalIgnoreCase)) is not { } name
                || !Enum.TryParse<CaseState>(name, out var parsed))
            {
                return (null, Problems.Invalid("state", $"应为以下之一：{string.Join("、", Enum.GetNames<CaseState>())}。",
                    $"must be one of: {string.Join(", ", Enum.GetNames<CaseState>())}"));
            }
            query = query.Where(c => c.State == parsed);
        }
        if (request.SubmittedFrom is { } from && request.SubmittedTo is { } to && from > to)
        {
            return (null, Problems.Invalid("submittedFrom", "不能晚于 submittedTo。", "must not be after submittedTo"));
        }
        if (request.Category is { } category)
        {
            // A value no registration can carry would only ever match nothing: say so instead of answering an empty page.
            if (!ExamCategoryCodes.IsKnown(category))
            {
                return (null, Problems.Invalid("category", $"应为以下之一：{string.Join("、", ExamCategoryCodes.All)}。",
                    $"must be one of: {string.Join(", ", ExamCategoryCodes.All)}"));
            }
            query = query.Where(c => c.ExamCategory == category);
        }
        if (request.SubmittedFrom is { } after)
        {
            query = query.Where(c => c.SubmittedAt >= after);
        }
        if (request.SubmittedTo is { } before)
        {
            query = query.Where(c => c.SubmittedAt < before);
        }
        query = Flags(query, request, user, now);
        if (request.Cursor is { } cursor)
        {
            // Keyset paging on (SubmittedAt, Id): stays fast however deep the queue is. The redundant
            // "SubmittedAt >= t" gives the database an index range to start from instead of filtering the OR.
            if (!KeysetCursor.TryParse(cursor, out var position))
            {
                return (null, Problems.Invalid("cursor", "不是本接口返回的翻页游标。", "is not a cursor returned by this API"));
            }
            query = query.Where(c => c.SubmittedAt >= position.At
                && (c.SubmittedAt > position.At || c.Id.CompareTo(position.Id) > 0));
        }
        var page = query.OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id).Take(Take(request) + 1);
        if (request.Overdue == true || request.Mine == true)
        {
            // Keys first: these filters find their rows by a range on a deadline or a lease, not in queue order, and can
            // match thousands (see ReviewCaseQueueIndexes): sort their keys from the index alone, read only the page's rows.
            var keys = page.Select(c => c.Id);
            page = db.Cases.AsNoTracking().Where(c => keys.Contains(c.Id)).OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id);
        }
        return (page, null);
    }

    private static IQueryable<ReviewCase> Flags(IQueryable<ReviewCase> query, CaseListRequest request, ClaimsPrincipal user, DateTimeOffset now)
    {
        if (request.Overdue is { } isOverdue)
        {
            query = isOverdue
                ? query.Where(c => c.State == CaseState.Returned && c.RespondBy <= now)
                : query.Where(c => !(c.State == CaseState.Returned && c.RespondBy <= now));
        }
        if (request.Escalated is { } isEscalated)
        {
            query = isEscalated ? query.Where(c => c.EscalatedAt != null) : query.Where(c => c.EscalatedAt == null);
        }
        if (request.Resubmitted is { } isResubmitted)
        {
            // Literal predicates, not a parameter: the partial index on resubmitted cases matches only a literal.
            query = isResubmitted ? query.Where(c => c.ResubmittedSinceReview) : query.Where(c => !c.ResubmittedSinceReview);
        }
        if (request.Claimed is { } isClaimed)
        {
            query = isClaimed
                ? query.Where(c => c.ClaimedBy != null && c.ClaimExpiresAt > now)
                : query.Where(c => c.ClaimedBy == null || c.ClaimExpiresAt <= now);
        }
        if (request.Mine == true)
        {
            var actor = user.Actor();
            query = query.Where(c => c.ClaimedBy == actor && c.ClaimExpiresAt > now);
        }
        return query;
    }
}
