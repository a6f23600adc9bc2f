using System.Security.Claims;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ExamReview.MaterialStorage.Api;

public sealed record SubmitRequest(
    Guid CandidateId,
    ClaimsPrincipal User,
    MaterialStorageDbContext Db,
    CatalogStore Catalogs,
    TimeProvider Clock,
    HttpResponse Response);

/// <summary>提交审核 (explicit submission mode): the aggregate checks the checklist and locks every image.</summary>
public static class SubmissionApi
{
    public const string SubmittedMessage = "上报完成，内容已锁定";

    public static RouteGroupBuilder MapSubmissionApi(this RouteGroupBuilder group)
    {
        group.MapPost("/candidates/{candidateId:guid}/submit", Submit).RequireAuthorization(Policies.Candidate)
            .WithName("submitApplication").WithSummary("提交审核：锁定申请中的全部图片（显式提交模式）")
            .WithDescription("提交审核: locks every image of the application (explicit submission mode).")
            .ProducesProblemCodes(StatusCodes.Status403Forbidden, "not_your_application").ProducesProblemCodes(StatusCodes.Status404NotFound, "application_not_found")
            .ProducesProblemCodes(StatusCodes.Status503ServiceUnavailable, "application_pending")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "application_locked", "submission_is_continuous", "catalog_not_configured")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "materials_missing", "images_failed_validation", "images_awaiting_replacement", "images_not_applicable");
        return group;
    }

    public static async Task<Results<Ok<SubmitResponse>, ProblemHttpResult>> Submit([AsParameters] SubmitRequest request, CancellationToken ct)
    {
        if (request.User.CandidateId() != request.CandidateId)
        {
            return ImagesApi.NotYours(request.CandidateId);
        }
        var now = request.Clock.GetUtcNow();
        MaterialApplication? submitted = null;
        // A submit racing an upload loses like any other write and decides again on what the upload left.
        var refused = await ApplicationWrites.WriteWithRetriesAsync(request.Db, request.Catalogs, request.CandidateId, request.Clock, rehearseFirst: false, context =>
        {
            submitted = context.Application;
            return Task.FromResult(context.Application.Submit(context.Catalog, context.Profile, now));
        }, () => Task.CompletedTask, ct);
        if (refused is not null)
        {
            return refused.ToProblem(request.Response);
        }
        return TypedResults.Ok(new SubmitResponse(SubmittedMessage, submitted!.SubmissionNumber, now));
    }
}
