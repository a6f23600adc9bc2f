using System.Security.Claims;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Provincial;

/// <summary>The Idempotency-Key filter over a real SQLite database: the handler runs once, a retry replays, another body is refused.</summary>
public sealed class IdempotencyFilterTests : IAsyncLifetime
{
    public sealed record Body(string Decision);

    /// <summary>What the endpoint declares it reads: the filter fingerprints that argument.</summary>
    private sealed class JsonBody : Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata
    {
        public IReadOnlyList<string> ContentTypes { get; } = ["application/json"];
        public Type? RequestType => typeof(Body);
        public bool IsOptional => false;
    }

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"idempotency-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = null!;
    private int _runs;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddDbContext<ReviewDbContext, ReviewSqliteDbContext>(o => o.UseSqlite($"Data Source={_file}"));
        services.AddSingleton(new IdempotencyOptions());
        services.AddSingleton(TimeProvider.System);
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(_ => { });
        _services = services.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReviewDbContext>().Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private async Task<(object? Result, HttpContext Http)> SendAsync(string? key, Body body, bool succeed = true)
    {
        var http = new DefaultHttpContext { RequestServices = _services };
        http.Request.Method = "POST";
        http.Request.Path = "/api/v1/provincial/reviews/1/decisions";
        http.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new JsonBody()), "decide"));
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "hunan-sync")], "test"));
        if (key is not null)
        {
            http.Request.Headers["Idempotency-Key"] = key;
        }
        var context = EndpointFilterInvocationContext.Create(http, body);
        var result = await new IdempotencyFilter<ReviewDbContext>().InvokeAsync(context, _ =>
        {
            _runs++;
            http.Response.Headers.ETag = "\"8\"";
            Results<Ok<Body>, ProblemHttpResult> outcome = succeed
                ? TypedResults.Ok(body)
                : ExamReview.ServiceDefaults.Problems.Problems.Unprocessable("nope", "不行", "no");
            return ValueTask.FromResult<object?>(outcome);
        });
        return (result, http);
    }

    [Fact]
    public async Task A_retry_replays_the_stored_response_without_running_the_handler_again()
    {
        await SendAsync("k1", new Body("approve"));
        var (replayed, http) = await SendAsync("k1", new Body("approve"));

        Assert.Equal(1, _runs);
        var text = Assert.IsType<ContentHttpResult>(replayed);
        Assert.Equal(StatusCodes.Status200OK, text.StatusCode);
        Assert.StartsWith("application/json", text.ContentType, StringComparison.Ordinal);
        Assert.Equal("""{"decision":"approve"}""", text.ResponseContent);
        Assert.Equal("true", http.Response.Headers["Idempotent-Replayed"].ToString());
        Assert.Equal("\"8\"", http.Response.Headers.ETag.ToString());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_and_a_missing_key_too()
    {
        await SendAsync("k2", new Body("approve"));
        var (reused, _) = await SendAsync("k2", new Body("reject"));
        var (missing, _) = await SendAsync(null, new Body("reject"));

        Assert.Equal(1, _runs);
        Assert.Equal(IdempotencyProblems.KeyReusedCode, ((ProblemHttpResult)reused!).ProblemDetails.Extensions["code"]);
        Assert.Equal(IdempotencyProblems.KeyRequiredCode, ((ProblemHttpResult)missing!).ProblemDetails.Extensions["code"]);
    }

    [Fact]
    public async Task A_refused_request_stores_nothing_so_the_corrected_retry_runs()
    {
        await SendAsync("k3", new Body("approve"), succeed: false);
        await SendAsync("k3", new Body("approve"));

        Assert.Equal(2, _runs);
    }
}
