using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Api;

/// <param name="Pending">Uploads accepted and stored whose verdict has not arrived.</param>
/// <param name="OldestUploadedAt">When the longest-waiting of them was accepted; null when none waits.</param>
/// <param name="OldestAgeSeconds">How long it has waited, at <paramref name="At"/>.</param>
/// <param name="FailedAfterApproval">
/// Images approved (✓, locked for good) whose check failed or found malware: each needs an operator (0 is the only good value).
/// </param>
/// <param name="FailedAfterApprovalImageIds">The first of them (at most 50, oldest upload first), to look up.</param>
public sealed record ValidationBacklog(int Pending, DateTimeOffset? OldestUploadedAt, double? OldestAgeSeconds, DateTimeOffset At,
    int FailedAfterApproval, IReadOnlyList<Guid> FailedAfterApprovalImageIds);

/// <summary>
/// The validation backlog for operators (issue 19): above capacity, or while ImageValidation or the broker is away,
/// uploads keep being accepted and candidates see 待检测; this is where the backlog and its age show. Both figures
/// come from a partial index that holds only the pending images, so the call stays cheap at millions of images. Beside
/// it the alert of an approved image whose check failed (MaterialStorageMetrics counts each as it happens), from its own
/// partial index.
/// </summary>
public static class ValidationBacklogApi
{
    private const int MostListed = 50;

    public static void MapValidationBacklogApi(this IEndpointRouteBuilder app) =>
        app.MapGet(MaterialsApi.Prefix + "/ops/validation", Get).WithTags("Operations").RequireAuthorization(Policies.Operator)
            .WithName("getValidationBacklog").WithSummary("图片检测积压（运营人员）：待检测张数、最早一张已等待的时间，以及已通过（✓）却未通过检测的图片")
            .WithDescription("Uploads accepted and stored but not yet judged by ImageValidation: how many, and how long the oldest has waited; "
                + "and approved images whose check failed afterwards (an alert: each needs an operator).");

    private static async Task<Ok<ValidationBacklog>> Get(MaterialStorageDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var pending = db.Images.AsNoTracking().Where(i => i.Validation == ValidationState.Pending);
        var count = await pending.CountAsync(ct);
        var oldest = count == 0 ? null : await pending.OrderBy(i => i.UploadedAt).Select(i => (DateTimeOffset?)i.UploadedAt).FirstOrDefaultAsync(ct);
        var failedApproved = db.Images.AsNoTracking().Where(i => i.Validation == ValidationState.Failed && i.Review == ImageReviewState.Approved);
        var failedCount = await failedApproved.CountAsync(ct);
        var failedIds = failedCount == 0 ? [] : await failedApproved.OrderBy(i => i.UploadedAt).Select(i => i.Id).Take(MostListed).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new ValidationBacklog(count, oldest, oldest is null ? null : Math.Round(Math.Max(0, (now - oldest.Value).TotalSeconds), 1), now,
            failedCount, failedIds));
    }
}
