using System.Security.Claims;
using ExamReview.MaterialStorage.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.MaterialStorage.Provincial;

/// <summary>The province's material applications (state per candidate, and each material image) as a change feed.</summary>
public static class ProvincialApplicationsApi
{
    public const string Prefix = "/api/v1/provincial/applications";

    public static void MapProvincialApplicationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapProvincialGroup(Prefix);
        group.MapGet("/", ListAsync).WithName("syncProvincialApplications").WithSummary("增量同步本省考生的材料申请状态（变更流，游标分页）")
            .WithDescription("The province's applications and their material images as a change feed: send the previous page's nextCursor as cursor (none: from the start).")
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, IdempotencyProblems.InvalidCursorCode, IdempotencyProblems.CursorAheadCode);
    }

    private static Task<Results<Ok<ApplicationFeedPage>, ProblemHttpResult>> ListAsync(
        string? cursor, int? limit, ClaimsPrincipal user, MaterialStorageDbContext db, CancellationToken ct) =>
        FeedQuery.PageAsync(db, ApplicationFeedProjection.Feed, user.Area()!, cursor, limit,
            (row, position) => new ApplicationFeedItem(position, row.Kind, row.ItemId, row.Deleted, row.ChangedAt,
                row.Kind == ApplicationFeedProjection.ApplicationKind ? FeedQuery.Payload<ProvincialApplication>(row) : null,
                row.Kind == ApplicationFeedProjection.MaterialKind ? FeedQuery.Payload<ProvincialMaterial>(row) : null),
            (items, next, more) => new ApplicationFeedPage(items, next, more), ct);
}
