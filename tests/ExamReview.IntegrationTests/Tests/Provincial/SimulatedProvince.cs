using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Notification;

namespace ExamReview.IntegrationTests.Tests.Provincial;

/// <summary>
/// What a provincial system does: authenticates with client credentials, keeps one cursor per feed, applies each page
/// to its local copy (a tombstone removes the item), and pushes writes with an Idempotency-Key and If-Match. Its cursors
/// and copy live here, outside the platform, so they survive the platform's restart.
/// </summary>
public sealed class SimulatedProvince(Func<PlatformClient> platform, MachineClientConfig config)
{
    public static readonly (string Feed, string Service)[] Feeds =
        [("registrations", "Registration"), ("applications", "MaterialStorage"), ("reviews", "ReviewWorkflow")];

    private readonly Dictionary<string, string?> _cursors = Feeds.ToDictionary(f => f.Feed, _ => (string?)null);

    public MachineClientConfig Config { get; } = config;

    public string Token { get; private set; } = "";

    /// <summary>Local copy per feed: item key → latest state.</summary>
    public Dictionary<string, Dictionary<string, JsonObject>> Copy { get; } = Feeds.ToDictionary(f => f.Feed, _ => new Dictionary<string, JsonObject>());

    /// <summary>Every item cursor ever received, per feed: a change served twice would show here.</summary>
    public Dictionary<string, List<string>> Received { get; } = Feeds.ToDictionary(f => f.Feed, _ => new List<string>());

    public int Tombstones { get; private set; }

    /// <summary>The province's own webhook receiver (a loopback Kestrel), once registered.</summary>
    public WebhookTestReceiver? Hooks { get; private set; }

    /// <summary>
    /// Registers the province's receiver for every event type over the Notification API and trusts the secret shown
    /// once; the receiver verifies each delivery against it with the StandardWebhooks package.
    /// </summary>
    public async Task RegisterWebhooksAsync(WebhookTestReceiver receiver, string[] eventTypes)
    {
        using var response = await PostAsync("Notification", "/api/v1/notifications/webhooks/endpoints",
            new { url = receiver.Url(Config.ClientId), eventTypes, description = Config.Name + " 同步" }, idempotencyKey: null, ifMatch: null);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.Created);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        receiver.Trust(Config.ClientId, created["secret"]!.GetValue<string>());
        Hooks = receiver;
    }

    /// <summary>Each webhook once (deduplicated on its id), in the order it first arrived.</summary>
    public List<ReceivedWebhook> Webhooks => Hooks?.FirstArrivals(Config.ClientId) ?? [];

    public async Task AuthenticateAsync(string? secret = null)
    {
        using var response = await PostTokenAsync(platform(), Config.ClientId, secret ?? Config.Secret);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Token = body["access_token"]!.GetValue<string>();
    }

    public static async Task<HttpResponseMessage> PostTokenAsync(PlatformClient client, string clientId, string secret, string grantType = "client_credentials")
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grantType, ["client_id"] = clientId, ["client_secret"] = secret,
        });
        return await client.SendAsync(HttpMethod.Post, "Registration", "/api/v1/dev/oauth/token", token: null, form);
    }

    /// <summary>Pulls every feed from its stored cursor until nothing more is ready.</summary>
    public async Task SyncAsync()
    {
        foreach (var (feed, service) in Feeds)
        {
            bool more;
            do
            {
                var cursor = _cursors[feed];
                var path = $"/api/v1/provincial/{feed}?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                var page = await GetPageAsync(service, path);
                foreach (var item in page["items"]!.AsArray().Select(i => i!.AsObject()))
                {
                    Apply(feed, item);
                }
                _cursors[feed] = page["nextCursor"]!.GetValue<string>();
                more = page["hasMore"]!.GetValue<bool>();
            }
            while (more);
        }
    }

    /// <summary>One page; a 429 is waited out as its Retry-After says, as a well-behaved client does.</summary>
    private async Task<JsonObject> GetPageAsync(string service, string path)
    {
        while (true)
        {
            using var response = await platform().SendAsync(HttpMethod.Get, service, path, Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }
    }

    private void Apply(string feed, JsonObject item)
    {
        Received[feed].Add(item["cursor"]!.GetValue<string>());
        var (key, state) = feed switch
        {
            "registrations" => ("registration:" + item["candidateId"], item["registration"]),
            "reviews" => ("review:" + item["caseId"], item["review"]),
            _ => (item["kind"] + ":" + item["id"], item[item["kind"]!.GetValue<string>()]),
        };
        if (item["deleted"]!.GetValue<bool>())
        {
            Assert.Null(state);
            Copy[feed].Remove(key);
            Tombstones++;
            return;
        }
        Copy[feed][key] = state!.DeepClone().AsObject();
    }

    public JsonObject? Registration(Guid candidateId) => Copy["registrations"].GetValueOrDefault("registration:" + candidateId);

    public JsonObject? Review(Guid caseId) => Copy["reviews"].GetValueOrDefault("review:" + caseId);

    public JsonObject? Application(Guid candidateId) =>
        Copy["applications"].Values.FirstOrDefault(a => a["candidateId"]?.GetValue<string>() == candidateId.ToString() && a.ContainsKey("state"));

    public IEnumerable<JsonObject> Materials(Guid candidateId) =>
        Copy["applications"].Where(e => e.Key.StartsWith("material:", StringComparison.Ordinal) && e.Value["candidateId"]!.GetValue<string>() == candidateId.ToString())
            .Select(e => e.Value);

    public Task<HttpResponseMessage> GetAsync(string service, string path) => platform().SendAsync(HttpMethod.Get, service, path, Token);

    /// <summary>A POST as the integration sends it: the key, the ETag it read (if any) and the body.</summary>
    public async Task<HttpResponseMessage> PostAsync(string service, string path, object body, string? idempotencyKey, string? ifMatch)
    {
        var client = platform();
        using var request = new HttpRequestMessage(HttpMethod.Post, client.Url(service, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await client.SendAsync(request);
    }
}
