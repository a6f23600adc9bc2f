using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ExamReview.LoadGenerator;

/// <summary>
/// Every HTTP call the simulated people make, timed per endpoint into the <see cref="Recorder"/> (status 0 when the
/// connection itself failed). Services are found by their README names (Registration, MaterialStorage, …).
/// </summary>
internal sealed class PlatformClient(HttpClient http, IReadOnlyDictionary<string, Uri> services, Recorder recorder)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> s_said = new(StringComparer.Ordinal);

    public Recorder Recorder => recorder;

    public sealed record Reply(int Status, JsonNode? Body, byte[]? Bytes, EntityTagHeaderValue? ETag = null, TimeSpan? RetryAfter = null)
    {
        /// <summary>304: the copy named in If-None-Match is current.</summary>
        public bool NotModified => Status == 304;

        public bool Ok => Status is >= 200 and < 300;
    }

    public async Task<Reply> SendAsync(string endpoint, HttpMethod method, string service, string path, string? token, HttpContent? content = null, bool binary = false,
        EntityTagHeaderValue? ifNoneMatch = null, int? preferWaitSeconds = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(services[service], path)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch); // as a browser revalidates the page it holds
        }
        if (preferWaitSeconds is { } wait)
        {
            request.Headers.Add("Prefer", $"wait={wait}"); // held open until the page changes (a long poll)
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var status = (int)response.StatusCode;
            recorder.Add(endpoint, Stopwatch.GetElapsedTime(started).TotalMilliseconds, status);
            JsonNode? body = null;
            if (!binary && bytes.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
            {
                body = JsonNode.Parse(bytes);
            }
            if (status is >= 400 and not 404 and not 409 && body?["code"] is { } code && s_said.TryAdd($"{endpoint} {status} {code}", true))
            {
                // Once per endpoint, status and problem code: what a refusal means, without flooding the progress line.
                Console.Error.WriteLine($"\n{endpoint} answered {status} {code}: {body["detail"]}");
            }
            return new Reply(status, body, binary ? bytes : null, response.Headers.ETag, RetryAfter(response.Headers.RetryAfter));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            recorder.Add(endpoint, Stopwatch.GetElapsedTime(started).TotalMilliseconds, 599); // no answer at all (599: network)
            return new Reply(599, null, null);
        }
    }

    /// <summary>Retry-After as seconds or as an HTTP date (then the time left until it; never negative).</summary>
    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > DateTimeOffset.UtcNow ? date - DateTimeOffset.UtcNow : TimeSpan.Zero,
        _ => null,
    };

    public async Task<string> TokenAsync(object request)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reply = await SendAsync("POST dev/tokens", HttpMethod.Post, "Registration", "/api/v1/dev/tokens", null, JsonContent.Create(request));
            if (reply.Ok)
            {
                return reply.Body!["accessToken"]!.GetValue<string>();
            }
            if (attempt > 20)
            {
                throw new InvalidOperationException($"no token: {reply.Status}");
            }
            await Task.Delay(500);
        }
    }

    /// <summary>A multipart form with one JPEG file (and the material type), as the browser posts it.</summary>
    public static UploadForm FileForm(byte[] bytes, string fileName, string? materialType = null) => new(bytes, fileName, materialType);
}

/// <summary>A multipart form that owns (and disposes) its parts.</summary>
internal sealed class UploadForm : IDisposable
{
    private readonly ByteArrayContent _file;
    private readonly StringContent? _type;

    public UploadForm(byte[] bytes, string fileName, string? materialType)
    {
        Content = new MultipartFormDataContent();
        if (materialType is not null)
        {
            _type = new StringContent(materialType);
            Content.Add(_type, "materialType");
        }
        _file = new ByteArrayContent(bytes);
        _file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        Content.Add(_file, "file", fileName);
    }

    public MultipartFormDataContent Content { get; }

    public void Dispose()
    {
        Content.Dispose();
        _file.Dispose();
        _type?.Dispose();
    }
}
