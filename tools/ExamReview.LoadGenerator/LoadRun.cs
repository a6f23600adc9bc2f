using System.Diagnostics;
using System.Globalization;

namespace ExamReview.LoadGenerator;

/// <summary>
/// What the report needs from the run besides the recorder: how long the measured upload phase ran, the verdicts that
/// arrived in it, the CPU it cost, and what the warm-up before it did (left out of the figures).
/// </summary>
internal sealed record RunFigures(double UploadSeconds, double DrainSeconds, int Verdicts, IReadOnlyList<ProcessCpu.ProcessDelta> Cpu, string LoadAverageAtEnd,
    (double Busy, double Idle, IReadOnlyList<(string Name, double Seconds)> Parts) Machine, WarmupFigures? Warmup,
    IReadOnlyList<DatabaseStatements.Figure>? Statements);

/// <summary>The warm-up's own count: its seconds, uploads accepted, answers and errors left out of the report, arrivals turned away.</summary>
internal sealed record WarmupFigures(double Seconds, int Uploads, int Answers, int Errors, int TurnedAway);

internal static class LoadRun
{
    public static async Task<RunFigures> RunAsync(LoadOptions options, Servers servers, PlatformClient client, Ledger ledger, byte[][] documents, byte[] portrait,
        string marker, int appHostPid)
    {
        using var stopReviewers = new CancellationTokenSource();
        using var stopUploads = new CancellationTokenSource(options.Warmup + options.Duration);
        var reviewers = new ReviewerLoop(client, ledger, options.ReturnRate);
        var background = Enumerable.Range(0, options.Reviewers).Select(r => reviewers.RunAsync(r, stopReviewers.Token)).ToList();
        background.Add(reviewers.WatchSmsAsync(stopReviewers.Token));
        background.Add(reviewers.WatchQueueAsync(stopReviewers.Token));

        using var faults = options.DuringLoad is { } command ? StartFaults(command, marker, appHostPid) : null;
        var timer = Stopwatch.StartNew();
        var measured = new MeasuredPhase(servers, marker, ledger);
        var journey = new CandidateJourney(client, ledger, documents, portrait);
        using var progress = new Timer(_ => Progress(client, ledger, timer), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        var driving = options.UploadsPerSecond is { } rate
            ? OpenLoopAsync(options, new ArrivalSchedule(rate), journey, client, ledger, timer, stopUploads.Token)
            : ClosedLoopAsync(options, journey, client, stopUploads.Token);
        WarmupFigures? warmup = null;
        if (options.Warmup > TimeSpan.Zero)
        {
            // The load goes on without a pause: only the counting starts again.
            await Task.WhenAny(driving, Task.Delay(options.Warmup, CancellationToken.None));
            if (driving.IsCompleted)
            {
                throw new InvalidOperationException($"the warm-up used up all {options.Candidates} candidates before {options.Warmup.TotalSeconds:F0} s: nothing is left to measure (raise --candidates or shorten --warmup)");
            }
            var (answers, errors) = client.Recorder.Reset();
            warmup = new WarmupFigures(timer.Elapsed.TotalSeconds, ledger.AcceptedUploads.Count, answers, errors, ledger.TurnedAwayCount);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\nwarm-up over after {warmup.Seconds:F0} s: {warmup.Uploads} uploads, {answers} answers and {errors} errors left out of the figures; measuring"));
            measured = new MeasuredPhase(servers, marker, ledger);
        }
        await driving;
        var (uploadSeconds, verdicts, cpu, machine, statements) = await measured.EndAsync();

        // Drain: every submission seen by a reviewer and decided, every return's SMS recorded, or the bound.
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < options.Drain)
        {
            var decided = ledger.Submitted.Keys.Count(c => ledger.SeenByReviewer.ContainsKey(c));
            if (decided == ledger.Submitted.Count && ledger.Decided.Count >= ledger.Submitted.Count && ledger.SmsSeen.Count == ledger.Returned.Count)
            {
                break;
            }
            await Task.Delay(500);
        }
        await stopReviewers.CancelAsync();
        await Task.WhenAll(background);
        if (faults is not null && !faults.HasExited)
        {
            await faults.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        }
        Progress(client, ledger, timer);
        Console.WriteLine();
        return new RunFigures(uploadSeconds, drain.Elapsed.TotalSeconds, verdicts, cpu, ProcessCpu.LoadAverage(), machine, warmup, statements);
    }

    /// <summary>The counters at the start of the measured phase: time, verdicts, per-process and machine CPU, PostgreSQL's statements.</summary>
    private sealed class MeasuredPhase(Servers servers, string marker, Ledger ledger)
    {
        private readonly Stopwatch _timer = Stopwatch.StartNew();
        private readonly int _verdicts = ledger.Verdicts;
        private readonly IReadOnlyList<ProcessCpu.Sample> _cpu = ProcessCpu.Platform(marker);
        private readonly MachineCpu.Sample _machine = MachineCpu.Take();
        private readonly Task<IReadOnlyList<DatabaseStatements.Statement>?> _statements = DatabaseStatements.TakeAsync(servers, marker);

        public async Task<(double Seconds, int Verdicts, IReadOnlyList<ProcessCpu.ProcessDelta> Cpu, (double Busy, double Idle, IReadOnlyList<(string Name, double Seconds)> Parts) Machine,
            IReadOnlyList<DatabaseStatements.Figure>? Statements)> EndAsync()
        {
            var (seconds, verdicts, cpu, machine) = (_timer.Elapsed.TotalSeconds, ledger.Verdicts - _verdicts, ProcessCpu.Delta(_cpu, ProcessCpu.Platform(marker)), MachineCpu.Delta(_machine, MachineCpu.Take()));
            var before = await _statements;
            var after = before is null ? null : await DatabaseStatements.TakeAsync(servers, marker);
            return (seconds, verdicts, cpu, machine, after is null ? null : DatabaseStatements.Delta(before!, after, marker));
        }
    }

    /// <summary>--concurrency candidates at a time, each replaced the moment it finishes: the platform runs saturated.</summary>
    private static Task ClosedLoopAsync(LoadOptions options, CandidateJourney journey, PlatformClient client, CancellationToken stop)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            int index;
            while (!stop.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < options.Candidates)
            {
                await CandidateAsync(journey, client, index, stop);
            }
        }));
    }

    /// <summary>
    /// --rate: candidates arrive on <paramref name="schedule"/> whatever the platform answers. At most --concurrency are
    /// in flight; an arrival beyond that is turned away and counted (the offered rate was above what the platform
    /// carried), never queued inside the generator where its wait would not be measured.
    /// </summary>
    private static async Task OpenLoopAsync(LoadOptions options, ArrivalSchedule schedule, CandidateJourney journey, PlatformClient client, Ledger ledger,
        Stopwatch timer, CancellationToken stop)
    {
        var running = new List<Task>();
        var inFlight = 0;
        long arrived = 0;
        var start = timer.Elapsed;
        var stopped = Task.Delay(Timeout.Infinite, stop); // completes (cancelled) when the phase ends; WhenAny does not throw
        while (!stop.IsCancellationRequested && arrived < options.Candidates)
        {
            for (var due = Math.Min(schedule.DueBy(timer.Elapsed - start), options.Candidates); arrived < due; arrived++)
            {
                if (Volatile.Read(ref inFlight) >= options.Concurrency)
                {
                    ledger.TurnedAway();
                    continue;
                }
                Interlocked.Increment(ref inFlight);
                var index = (int)arrived;
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await CandidateAsync(journey, client, index, stop);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight);
                    }
                }, CancellationToken.None));
            }
            var wait = schedule.DueAt(arrived) - (timer.Elapsed - start);
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(Task.Delay(wait, CancellationToken.None), stopped); // the next arrival or the end of the phase
            }
        }
        await Task.WhenAll(running);
    }

    private static async Task CandidateAsync(CandidateJourney journey, PlatformClient client, int index, CancellationToken stop)
    {
        try
        {
            await journey.RunAsync(index, stop);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException or NullReferenceException)
        {
            client.Recorder.Add("candidate journey aborted", 0, 598);
            Console.Error.WriteLine($"candidate {index}: {e.Message}");
        }
    }

    private static Process StartFaults(string command, string marker, int appHostPid)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["LOAD_APPHOST_PID"] = appHostPid.ToString(CultureInfo.InvariantCulture);
        start.Environment["LOAD_MARKER"] = marker;
        return Process.Start(start) ?? throw new InvalidOperationException("the fault schedule did not start");
    }

    private static void Progress(PlatformClient client, Ledger ledger, Stopwatch timer)
    {
        var uploads = ledger.AcceptedUploads.Count;
        Console.Write(string.Create(CultureInfo.InvariantCulture,
            $"\r[{timer.Elapsed.TotalSeconds,5:F0} s] candidates {ledger.CandidatesDone,5}  uploads {uploads,6} ({uploads / timer.Elapsed.TotalSeconds,5:F1}/s)  verdicts {ledger.Verdicts,6}  " +
            $"{(ledger.TurnedAwayCount > 0 ? $"turned away {ledger.TurnedAwayCount,4}  " : "")}submitted {ledger.Submitted.Count,5}  seen {ledger.SeenByReviewer.Count,5}  decided {ledger.Decided.Count,5}  returned {ledger.Returned.Count,4}  sms {ledger.SmsSeen.Count,4}  " +
            $"errors {client.Recorder.Names.Sum(n => client.Recorder[n].Snapshot().Statuses.Where(s => Recorder.IsError(s.Key)).Sum(s => s.Value)),4}  load {ProcessCpu.LoadAverage()}   "));
    }
}
