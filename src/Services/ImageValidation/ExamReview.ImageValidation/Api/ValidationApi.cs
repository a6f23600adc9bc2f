using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.ImageValidation.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ImageValidation.Api;

public sealed record ValidationView(Guid ImageId, Guid CandidateId, string MaterialType, bool Passed, IReadOnlyList<ValidationFinding> Findings, DateTimeOffset CheckedAt);

public static class ValidationApi
{
    public const string Prefix = "/api/v1/validation";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapValidationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Validation");
        group.MapGet("/images/{imageId:guid}", Get).RequireAuthorization(Policies.Service);
    }

    private static async Task<Results<Ok<ValidationView>, ProblemHttpResult>> Get(Guid imageId, ImageValidationDbContext db, CancellationToken ct)
    {
        var record = await db.ValidationRecords.AsNoTracking().SingleOrDefaultAsync(r => r.ImageId == imageId, ct);
        return record is null
            ? Problems.NotFound("validation_not_found", $"Image {imageId} has not been checked.")
            : TypedResults.Ok(new ValidationView(record.ImageId, record.CandidateId, record.MaterialType, record.Passed,
                JsonSerializer.Deserialize<List<ValidationFinding>>(record.FindingsJson, Json) ?? [], record.CheckedAt));
    }
}
