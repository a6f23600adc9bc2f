using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.LoadGenerator;

/// <summary>
/// One candidate on a peak evening: registers, gets a photo through the photo tool and stores it, is handed over to
/// the material service, uploads 7–8 documents up to six at once (as a browser does), watches the page until each
/// document's check is in (upload → verdict visible), and submits.
/// </summary>
internal sealed class CandidateJourney(PlatformClient client, Ledger ledger, byte[][] documents, byte[] portrait)
{
    /// <summary>The area/site every simulated candidate registers in (one site's reviewers see them all).</summary>
    public const string Area = "43";
    public const string Site = "4301";
    /// <summary>
    /// How long to wait before asking for the page again after an error that names no wait. A 503 application_pending
    /// (the registration is still on its way) names one in Retry-After, and a browser honours it.
    /// </summary>
    private static readonly TimeSpan PagePoll = TimeSpan.FromMilliseconds(500);

    /// <summary>Bounds on a named wait: a 0 must not become a tight loop, nor a proxy's long wait outlast the journey.</summary>
    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaximumWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// While a check is pending the page is held open (Prefer: wait, with its ETag): MaterialStorage answers the
    /// moment a verdict commits, or 304 after this wait. (It was a revalidation every 500 ms: 11 % of MaterialStorage's
    /// CPU in run er_load_1796067635, and up to half a second added to upload → verdict visible.)
    /// </summary>
    private const int PageWaitSeconds = 25;

    private static readonly TimeSpan VerdictTimeout = TimeSpan.FromMinutes(3);
    private const int BrowserConnections = 6;

    public async Task RunAsync(int index, CancellationToken stop)
    {
        var candidateId = Guid.NewGuid();
        var token = await client.TokenAsync(new { subject = $"load-candidate-{candidateId:N}", role = "candidate", candidateId });
        var registered = await client.SendAsync("POST registrations", HttpMethod.Post, "Registration", "/api/v1/registrations", token, JsonContent.Create(new
        {
            fullName = "张三",
            idNumber = TestIdNumbers.New(Area),
            mobileNumber = "139" + (10_000_000 + index).ToString(CultureInfo.InvariantCulture),
            examYear = 2027,
            areaCode = Area,
            siteCode = Site,
            examCategory = "practitioner-clinical",
        }));
        if (!registered.Ok)
        {
            return;
        }

        using (var photoForm = PlatformClient.FileForm(portrait, "photo.jpg"))
        {
            var marked = await client.SendAsync("POST validation/photo", HttpMethod.Post, "ImageValidation", "/api/v1/validation/photo", null, photoForm.Content, binary: true);
            if (marked.Ok)
            {
                using var stored = PlatformClient.FileForm(marked.Bytes!, "photo.jpg");
                await client.SendAsync("PUT registrations/me/photo", HttpMethod.Put, "Registration", "/api/v1/registrations/me/photo", token, stored.Content);
            }
        }

        // The hand-over: Registration's one-time authorisation exchanged for a MaterialStorage session.
        var session = token;
        var handover = await client.SendAsync("POST registrations/me/handover", HttpMethod.Post, "Registration", "/api/v1/registrations/me/handover", token);
        if (handover.Ok)
        {
            var exchanged = await client.SendAsync("POST materials/sessions", HttpMethod.Post, "MaterialStorage", "/api/v1/materials/sessions", null,
                JsonContent.Create(new { authorization = handover.Body!["authorization"]!.GetValue<string>() }));
            if (exchanged.Ok)
            {
                session = exchanged.Body!["accessToken"]!.GetValue<string>();
            }
        }

        var page = $"/api/v1/materials/candidates/{candidateId}";
        var opened = Stopwatch.StartNew();
        JsonNode? application = null;
        while (opened.Elapsed < VerdictTimeout && !stop.IsCancellationRequested)
        {
            var reply = await client.SendAsync("GET materials/candidates/{id}", HttpMethod.Get, "MaterialStorage", page, session);
            if (reply.Ok)
            {
                application = reply.Body;
                break;
            }
            await Task.Delay(reply.RetryAfter is { } named ? Clamp(named, MinimumWait, MaximumWait) : PagePoll, CancellationToken.None);
        }
        if (application is null)
        {
            return;
        }
        ledger.Candidates[candidateId] = application["applicationId"]!.GetValue<Guid>();

        string[] slots = ["id-card", "id-card", "id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"];
        if (index % 2 == 1)
        {
            slots = [.. slots, "graduation-certificate"]; // 7 or 8 documents
        }
        using var browser = new SemaphoreSlim(BrowserConnections);
        var uploads = await Task.WhenAll(slots.Select(async (slot, i) =>
        {
            await browser.WaitAsync(CancellationToken.None);
            try
            {
                using var form = PlatformClient.FileForm(documents[(index + i) % documents.Length], $"scan-{i}.jpg", slot);
                var started = Stopwatch.GetTimestamp();
                var reply = await client.SendAsync("POST materials/.../images", HttpMethod.Post, "MaterialStorage", page + "/images", session, form.Content);
                return reply.Ok ? (Id: reply.Body!["imageId"]!.GetValue<Guid>(), Started: started) : (Id: Guid.Empty, Started: started);
            }
            finally
            {
                browser.Release();
            }
        }));
        var pending = uploads.Where(u => u.Id != Guid.Empty).ToDictionary(u => u.Id, u => u.Started);
        foreach (var id in pending.Keys)
        {
            ledger.AcceptedUploads[id] = candidateId;
        }
        var allPassed = pending.Count == slots.Length;
        var waiting = Stopwatch.StartNew();
        EntityTagHeaderValue? held = null; // the page the browser shows: held open with its ETag, fetched again only when it changed
        while (pending.Count > 0 && waiting.Elapsed < VerdictTimeout)
        {
            // Held requests are timed under their own name: their latency is the wait for news, not service time.
            var reply = held is null
                ? await client.SendAsync("GET materials/candidates/{id}", HttpMethod.Get, "MaterialStorage", page, session)
                : await client.SendAsync("GET materials/candidates/{id} (held)", HttpMethod.Get, "MaterialStorage", page, session, ifNoneMatch: held,
                    preferWaitSeconds: PageWaitSeconds);
            if (!reply.Ok)
            {
                if (!reply.NotModified)
                {
                    await Task.Delay(PagePoll, CancellationToken.None); // an error: ask again shortly
                }
                continue; // 304: the wait ended with nothing new; hold the page open again
            }
            held = reply.ETag;
            var now = Stopwatch.GetTimestamp();
            foreach (var image in reply.Body!["images"]!.AsArray())
            {
                var id = image!["imageId"]!.GetValue<Guid>();
                var verdict = image["validation"]!.GetValue<string>();
                if (verdict != "Pending" && pending.Remove(id, out var started))
                {
                    client.Recorder.Add("e2e upload → verdict visible", Stopwatch.GetElapsedTime(started, now).TotalMilliseconds);
                    ledger.Verdict();
                    allPassed &= verdict == "Passed";
                }
            }
        }
        if (pending.Count > 0)
        {
            client.Recorder.Add("e2e upload → verdict visible", VerdictTimeout.TotalMilliseconds, 504); // never seen within the bound
        }

        if (allPassed && pending.Count == 0)
        {
            var submitted = await client.SendAsync("POST materials/.../submit", HttpMethod.Post, "MaterialStorage", page + "/submit", session);
            if (submitted.Ok)
            {
                ledger.Submitted[candidateId] = Stopwatch.GetTimestamp();
            }
        }
        ledger.CandidateDone();
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
