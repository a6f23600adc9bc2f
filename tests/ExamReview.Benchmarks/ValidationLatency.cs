using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.Benchmarks;

/// <summary>
/// How long a candidate waits for the checks (<c>-- --latency</c>): the platform is started as the README runs it
/// (embedded; or distributed with <c>--distributed</c> after <c>eval "$(scripts/infra.sh env)"</c>), candidates
/// upload the benchmark's 200 KB documents through MaterialStorage, and each upload is timed from the request
/// until the candidate's own view shows its verdict (MaterialUploaded → ImageValidation → MaterialValidated back
/// through the outbox and the bus). Polls each candidate's view every 25 ms, so figures are good to about that.
/// </summary>
internal static class ValidationLatency
{
    private static readonly string[] Slots = ["id-card", "id-card", "id-card", "graduation-certificate", "registration-notice"];
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public static async Task<int> RunAsync(byte[][] corpus, bool distributed, int candidates)
    {
        var arguments = new List<string>();
        var environment = new Dictionary<string, string?>();
        var dataDirectory = Directory.CreateTempSubdirectory("examreview-latency-");
        if (distributed)
        {
            environment["ConnectionStrings__postgres"] = Environment.GetEnvironmentVariable("EXAMREVIEW_PG")
                ?? throw new InvalidOperationException("--distributed needs the real servers: bash scripts/infra.sh start; eval \"$(bash scripts/infra.sh env)\"");
            arguments.AddRange(["--Infrastructure", "connection-strings", "--Infrastructure:DatabasePrefix", "er_latency_" + Guid.NewGuid().ToString("N")[..8],
                "--Dashboard:Enabled", "false", "--Auth:DevTokens:Enabled", "true"]);
        }
        else
        {
            environment["ConnectionStrings__rabbitmq"] = null; // the embedded default, whatever the shell has
            arguments.AddRange(["--port", FreePorts.FindBase(1).ToString(CultureInfo.InvariantCulture), "--data-dir", dataDirectory.FullName]);
        }

        var assembly = distributed ? RepoPaths.AppHostAssembly : RepoPaths.EmbeddedAssembly;
        Console.WriteLine($"Starting the {(distributed ? "distributed" : "embedded")} platform ({assembly})...");
        await using var host = await AppHostProcess.StartAsync(assembly, arguments, environment, TimeSpan.FromMinutes(3));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var client = new Driver(http, host.Services);
        try
        {
            // Warm-up: one candidate's uploads, not counted (JIT, connection pools, first libvips use).
            await client.UploadAllAsync(await client.NewCandidateAsync(), corpus, concurrently: false);

            var oneAtATime = new List<double>();
            var sequentialCpu = TimeSpan.Zero;
            for (var i = 0; i < candidates; i++)
            {
                var candidate = await client.NewCandidateAsync();
                var cpuBefore = host.ProcessorTime;
                oneAtATime.AddRange(await client.UploadAllAsync(candidate, corpus, concurrently: false));
                sequentialCpu += host.ProcessorTime - cpuBefore;
            }

            var ready = new List<Driver.Candidate>();
            for (var i = 0; i < candidates; i++)
            {
                ready.Add(await client.NewCandidateAsync());
            }
            var timer = Stopwatch.StartNew();
            var burstCpuBefore = host.ProcessorTime;
            var burst = (await Task.WhenAll(ready.Select(c => client.UploadAllAsync(c, corpus, concurrently: true)))).SelectMany(t => t).ToList();
            var burstCpu = host.ProcessorTime - burstCpuBefore;
            var burstSeconds = timer.Elapsed.TotalSeconds;

            Console.WriteLine();
            Console.WriteLine($"Upload → verdict visible to the candidate ({(distributed ? "distributed: PostgreSQL, RabbitMQ, S3" : "embedded: in-memory bus, SQLite, filesystem")}; {corpus.Length} documents of {corpus.Average(d => d.Length) / 1024:F0} KB):");
            Print($"one upload at a time ({oneAtATime.Count} uploads)", oneAtATime);
            Print($"{burst.Count} uploads at once ({candidates} candidates x {Slots.Length}; all done in {burstSeconds:F1} s)", burst);
            if (!distributed)
            {
                // The embedded platform is one process, so its CPU time is the platform's, the candidate's polling included.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  platform CPU per upload: {sequentialCpu.TotalMilliseconds / oneAtATime.Count:F1} ms one at a time, {burstCpu.TotalMilliseconds / burst.Count:F1} ms at once"));
            }
            return 0;
        }
        finally
        {
            dataDirectory.Delete(recursive: true);
        }
    }

    private static void Print(string title, List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {title}: median {At(0.5):F0} ms, p95 {At(0.95):F0} ms, max {sorted[^1]:F0} ms"));
    }

    /// <summary>The few HTTP calls a candidate makes, against the services the AppHost reported.</summary>
    private sealed class Driver(HttpClient http, IReadOnlyDictionary<string, Uri> services)
    {
        public sealed record Candidate(Guid Id, string Token);

        public async Task<Candidate> NewCandidateAsync()
        {
            var id = Guid.NewGuid();
            using var tokenResponse = await http.PostAsJsonAsync(Url("Registration", "/api/v1/dev/tokens"),
                new { subject = $"candidate-{id:N}", role = "candidate", candidateId = id });
            var token = (await Ok(tokenResponse))["accessToken"]!.GetValue<string>();
            using (var registered = await SendAsync(HttpMethod.Post, "Registration", "/api/v1/registrations", token, JsonContent.Create(new
            {
                fullName = "张三",
                idNumber = TestIdNumbers.New("43"),
                mobileNumber = "138" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
                examYear = 2027,
                areaCode = "43",
                siteCode = "4301",
                examCategory = "practitioner-clinical",
            })))
            {
                await Ok(registered);
            }
            var candidate = new Candidate(id, token);
            await UntilAsync(async () =>
            {
                using var response = await SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{id}", token);
                return response.IsSuccessStatusCode;
            }, "the material application to open");
            return candidate;
        }

        /// <summary>
        /// Uploads the candidate's five documents (one by one, or all at once) and returns each one's wait in ms.
        /// One poller per candidate watches all of its pending images, as the candidate's page would, so the
        /// measurement does not flood the platform with requests of its own.
        /// </summary>
        public async Task<IReadOnlyList<double>> UploadAllAsync(Candidate candidate, byte[][] corpus, bool concurrently)
        {
            if (!concurrently)
            {
                var waits = new List<double>();
                for (var i = 0; i < Slots.Length; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var imageId = await UploadAsync(candidate, Slots[i], corpus[i % corpus.Length]);
                    waits.AddRange(await WaitForVerdictsAsync(candidate, [(imageId, started)]));
                }
                return waits;
            }
            var uploads = await Task.WhenAll(Slots.Select(async (slot, i) =>
            {
                var started = Stopwatch.GetTimestamp();
                return (ImageId: await UploadAsync(candidate, slot, corpus[i % corpus.Length]), Started: started);
            }));
            return await WaitForVerdictsAsync(candidate, uploads);
        }

        private async Task<string> UploadAsync(Candidate candidate, string materialType, byte[] document)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new StringContent(materialType), "materialType");
            var file = new ByteArrayContent(document);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", "scan.jpg");
            using var uploaded = await SendAsync(HttpMethod.Post, "MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}/images", candidate.Token, form);
            return (await Ok(uploaded))["imageId"]!.GetValue<string>();
        }

        /// <summary>Polls the candidate's view until every image has its verdict; each wait runs from its upload's start.</summary>
        private async Task<IReadOnlyList<double>> WaitForVerdictsAsync(Candidate candidate, IReadOnlyList<(string ImageId, long Started)> uploads)
        {
            var waits = new Dictionary<string, double>();
            await UntilAsync(async () =>
            {
                using var response = await SendAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/candidates/{candidate.Id}", candidate.Token);
                var images = (await Ok(response))["images"]!.AsArray();
                var now = Stopwatch.GetTimestamp();
                foreach (var (imageId, started) in uploads.Where(u => !waits.ContainsKey(u.ImageId)))
                {
                    var image = images.Single(i => i!["imageId"]!.GetValue<string>() == imageId)!;
                    switch (image["validation"]!.GetValue<string>())
                    {
                        case "Passed":
                            waits[imageId] = Stopwatch.GetElapsedTime(started, now).TotalMilliseconds;
                            break;
                        case "Pending":
                            break;
                        default:
                            throw new InvalidOperationException($"benchmark document failed the checks: {image["findings"]?.ToJsonString()}");
                    }
                }
                return waits.Count == uploads.Count;
            }, "the checks' verdicts");
            return [.. waits.Values];
        }

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string service, string path, string token, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, Url(service, path)) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await http.SendAsync(request);
        }

        private Uri Url(string service, string path) => new(services[service], path);

        private static async Task<JsonNode> Ok(HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode
                ? JsonNode.Parse(body)!
                : throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }

        private static async Task UntilAsync(Func<Task<bool>> done, string what)
        {
            var deadline = Stopwatch.StartNew();
            while (!await done())
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"Timed out waiting for {what}.");
                }
                await Task.Delay(PollInterval);
            }
        }
    }
}
