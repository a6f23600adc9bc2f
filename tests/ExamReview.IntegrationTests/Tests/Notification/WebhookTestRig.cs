using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Notification.Data;
using ExamReview.Notification.Extensions;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.UnitTests.Notification;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// The Notification service as its process hosts it (service defaults, its module, JWT auth, the in-memory bus, its
/// hosted dispatchers) on a random loopback port, over a database of its own on the collection's PostgreSQL, with the
/// webhook schedule compressed to sub-second delays. Tests publish platform events on its bus and call its API.
/// </summary>
public sealed class NotificationServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _database;

    private NotificationServiceHost(WebApplication app, string database, Uri address)
    {
        _app = app;
        _database = database;
        Http = new HttpClient { BaseAddress = address };
    }

    public HttpClient Http { get; }

    public static async Task<NotificationServiceHost> StartAsync(string postgresServer)
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(postgresServer) { Database = $"er_hooks_{Guid.NewGuid():N}"[..24] }.ConnectionString;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:notificationdb"] = database,
            ["Auth:SigningKeys:0"] = DevTokenIssuer.NewKey(),
            ["Webhooks:Targets:AllowLoopback"] = "true", // the receivers are this test's own listeners
            ["Webhooks:Dispatch:FirstRetryDelay"] = "00:00:00.200",
            ["Webhooks:Dispatch:MaxRetryDelay"] = "00:00:01",
            ["Webhooks:Dispatch:RetryFor"] = "00:10:00",
            ["Webhooks:Dispatch:AttemptTimeout"] = "00:00:01",
            ["Webhooks:Dispatch:PollInterval"] = "00:00:00.100",
            ["Webhooks:Dispatch:MaxConcurrency"] = "4",
        });
        builder.AddServiceDefaults("Notification", new NotificationModule());
        var app = builder.Build();
        app.MapServiceEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new NotificationServiceHost(app, database, new Uri(address));
    }

    public string Token(string subject, string role, string? area = null) =>
        _app.Services.GetRequiredService<DevTokenIssuer>().Issue(new TokenRequest(subject, role, Area: area)).AccessToken;

    public string CandidateToken(Guid candidateId) =>
        _app.Services.GetRequiredService<DevTokenIssuer>().Issue(new TokenRequest($"candidate-{candidateId:N}", Roles.Candidate, CandidateId: candidateId)).AccessToken;

    /// <summary>Publishes an event and waits until <typeparamref name="TConsumer"/> has recorded it in the inbox.</summary>
    public async Task PublishAsync<T, TConsumer>(T message, Guid messageId) where T : class
    {
        await _app.Services.GetRequiredService<IBus>().Publish(message, ctx => ctx.MessageId = messageId);
        var consumer = typeof(TConsumer).Name;
        await Eventually.TrueAsync(() => WithDbAsync(db => db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer)),
            $"{consumer} to record {typeof(T).Name} {messageId}", TimeSpan.FromSeconds(30));
    }

    public async Task<T> WithDbAsync<T>(Func<NotificationDbContext, Task<T>> work)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotificationDbContext>());
    }

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var admin = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(_database) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new Npgsql.NpgsqlConnectionStringBuilder(_database).Database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>One webhook as a receiver accepted it: which secrets verified it (StandardWebhooks as the oracle) and what it said.</summary>
public sealed record ReceivedWebhook(string Receiver, string WebhookId, string Type, Guid CandidateId, string AreaCode, long Sequence, IReadOnlyList<string> VerifiedBy, int Signatures)
{
    /// <summary>The event's data object as sent (status, caseId, fields…).</summary>
    public JsonObject Data { get; init; } = new();

    /// <summary>The <c>webhook-timestamp</c> header and when the receiver got the request.</summary>
    public long Timestamp { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>
/// A provincial receiver on Kestrel at a random loopback port (<c>POST /hooks/{name}</c>). While <see cref="Failing"/> it
/// answers 503 and, every other request, hangs past the dispatcher's timeout without accepting anything; once healthy it
/// verifies each webhook against the secrets it trusts for that name and keeps it.
/// </summary>
public sealed class WebhookTestReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<string>> _secrets = new();
    private int _refused;

    private WebhookTestReceiver(WebApplication app) => _app = app;

    private volatile bool _failing;

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    /// <summary>Refuse (503 or a timeout) this many requests before answering normally: a receiver that is down for a while, then recovers.</summary>
    public int FailFirst { get; set; }

    public ConcurrentQueue<ReceivedWebhook> Accepted { get; } = new();

    public int Refused => Volatile.Read(ref _refused);

    public string BaseAddress { get; private set; } = "";

    public string Url(string name) => $"{BaseAddress}/hooks/{name}";

    public void Trust(string name, string secret) => _secrets.AddOrUpdate(name, _ => [secret], (_, list) => [.. list, secret]);

    public static async Task<WebhookTestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookTestReceiver(app);
        app.MapPost("/hooks/{name}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    private async Task<IResult> HandleAsync(string name, HttpRequest request)
    {
        if (Failing || Volatile.Read(ref _refused) < FailFirst)
        {
            if (Interlocked.Increment(ref _refused) % 2 == 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), request.HttpContext.RequestAborted); // the sender gives up first
                }
                catch (OperationCanceledException)
                {
                    // the dispatcher timed out and closed the connection
                }
            }
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var verifiedBy = _secrets.GetValueOrDefault(name, []).Where(secret => StandardWebhooksOracle.Verifies(secret, body, request.Headers)).ToList();
        var json = JsonNode.Parse(body)!;
        var data = json["data"]!;
        Accepted.Enqueue(new ReceivedWebhook(name, request.Headers[WebhookSigner.IdHeader].ToString(), json["type"]!.GetValue<string>(),
            data["candidateId"]!.GetValue<Guid>(), data["areaCode"]!.GetValue<string>(), data["sequence"]!.GetValue<long>(), verifiedBy,
            request.Headers[WebhookSigner.SignatureHeader].ToString().Split(' ').Length)
        {
            Data = data.AsObject(),
            Timestamp = long.Parse(request.Headers[WebhookSigner.TimestampHeader].ToString(), System.Globalization.CultureInfo.InvariantCulture),
            ReceivedAt = DateTimeOffset.UtcNow,
        });
        return verifiedBy.Count > 0 ? Results.NoContent() : Results.Unauthorized();
    }

    /// <summary>Each webhook id once, in the order it first arrived (a receiver deduplicates on the id).</summary>
    public List<ReceivedWebhook> FirstArrivals(string name) =>
        Accepted.Where(w => w.Receiver == name).DistinctBy(w => w.WebhookId).ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
