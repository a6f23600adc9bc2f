using System.Text.Json;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ExamReview.UnitTests;

/// <summary>
/// What escapes an endpoint becomes a problem. Two operators creating the same exam year, area, site, SMS template or
/// area setting at once lost the race on the row's key, and the loser got a 500 although nothing was written.
/// </summary>
public sealed class ProblemExceptionHandlerTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_unique_key_taken_by_a_concurrent_request_is_a_409_concurrent_change(string provider)
    {
        Exception inner = provider == "sqlite"
            ? new SqliteException("UNIQUE constraint failed: ExamAreas.Code", 19, 2067)
            : new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);

        var (status, problem) = await HandleAsync(new DbUpdateException("An error occurred while saving the entity changes.", inner));

        Assert.Equal(StatusCodes.Status409Conflict, status);
        Assert.Equal("concurrent_change", problem.GetProperty("code").GetString());
        Assert.StartsWith("同一时间有其他请求修改了该数据", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_failed_commit_stays_a_500()
    {
        var (status, problem) = await HandleAsync(new DbUpdateException("failed", new SqliteException("FOREIGN KEY constraint failed", 19, 787)));

        Assert.Equal(StatusCodes.Status500InternalServerError, status);
        Assert.Equal("internal", problem.GetProperty("code").GetString());
    }

    private static async Task<(int Status, JsonElement Problem)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => ProblemLocalisation.Apply(c.HttpContext, c.ProblemDetails));
        await using var provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Request.Method = "PUT";
        context.Request.Path = "/api/v1/registrations/areas/37";
        context.Response.Body = new MemoryStream();
        var handler = new ProblemExceptionHandler(provider.GetRequiredService<IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, document.RootElement.Clone());
    }
}
