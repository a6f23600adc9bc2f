using System.Net;
using ExamReview.ConsoleHosting;
using ExamReview.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.IntegrationTests.Tests.Console;

/// <summary>
/// How the gateway and the embedded run serve the reviewer console's build: client routes fall back to index.html,
/// hashed assets are cached for good and a missing one is a 404, every console response carries the console's CSP,
/// and nothing outside /console/ is touched (the API keeps the platform's allow-nothing policy).
/// </summary>
public sealed class ReviewerConsoleHostingTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("console-dist-").FullName;
    private WebApplication? _app;
    private Uri? _address;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "assets"));
        await File.WriteAllTextAsync(Path.Combine(_root, "index.html"), "<!doctype html><title>审核工作台</title><script type=\"module\" src=\"/console/assets/app-1a2b.js\"></script>");
        await File.WriteAllTextAsync(Path.Combine(_root, "assets", "app-1a2b.js"), "console.log('console');");

        var port = FreePorts.FindBase(1);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Console:Root"] = _root });
        var root = ReviewerConsole.FindRoot(builder.Configuration);
        Assert.Equal(Path.GetFullPath(_root), root);
        builder.Services.AddReviewerConsole(root!);
        _app = builder.Build();
        _app.UseReviewerConsole();
        _app.MapGet("/api/v1/ping", (HttpContext c) =>
        {
            c.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
            return "pong";
        });
        await _app.StartAsync();
        _address = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }

    private HttpClient Client() => new() { BaseAddress = _address };

    [Theory]
    [InlineData("/console/")]
    [InlineData("/console/queue")]
    [InlineData("/console/cases/3f2b8c1e-2d4a-4b7e-8f10-5a6b7c8d9e01")]
    public async Task Client_routes_answer_the_page_uncached_under_the_consoles_csp(string path)
    {
        using var http = Client();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("审核工作台", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(ReviewerConsole.ContentSecurityPolicy, csp);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Hashed_assets_are_cached_for_good_and_a_missing_one_is_not_the_page()
    {
        using var http = Client();
        using var asset = await http.GetAsync("/console/assets/app-1a2b.js");
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl?.ToString());
        Assert.Equal(ReviewerConsole.ContentSecurityPolicy, asset.Headers.GetValues("Content-Security-Policy").Single());

        using var missing = await http.GetAsync("/console/assets/app-0000.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var posted = await http.PostAsync("/console/queue", null);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
    }

    [Fact]
    public async Task Paths_outside_the_console_keep_their_own_policy()
    {
        using var http = Client();
        using var api = await http.GetAsync("/api/v1/ping");
        Assert.Equal("pong", await api.Content.ReadAsStringAsync());
        Assert.Equal("default-src 'none'", api.Headers.GetValues("Content-Security-Policy").Single());
        using var other = await http.GetAsync("/consoleish");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }
}
