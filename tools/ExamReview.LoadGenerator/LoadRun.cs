using System.Diagnostics;
using System.Globalization;

namespace ExamReview.LoadGenerator;

/// <summary>What the report needs from the run besides the recorder: how long the upload phase ran and the CPU it cost.</summary>
internal sealed record RunFigures(double UploadSeconds, double DrainSeconds, IReadOnlyList<(string Name, double CpuSeconds, long Switches, int Processes)> Cpu, string LoadAverageAtEnd,
    (double Busy, double Idle, IReadOnlyList<(string Name, double Seconds)> Parts) Machine);

internal static class LoadRun
{
    public static async Task<RunFigures> RunAsync(LoadOptions options, PlatformClient client, Ledger ledger, byte[][] documents, byte[] portrait, string marker, int appHostPid)
    {
        using var stopReviewers = new CancellationTokenSource();
        using var stopUploads = new CancellationTokenSource(options.Duration);
        var reviewers = new ReviewerLoop(client, ledger, options.ReturnRate);
        var background = Enumerable.Range(0, options.Reviewers).Select(r => reviewers.RunAsync(r, stopReviewers.Token)).ToList();
        background.Add(reviewers.WatchSmsAsync(stopReviewers.Token));

        using var faults = options.DuringLoad is { } command ? StartFaults(command, marker, appHostPid) : null;
        var cpuBefore = ProcessCpu.Platform(marker);
        var machineBefore = MachineCpu.Take();
        var timer = Stopwatch.StartNew();
        var next = -1;
        var journey = new CandidateJourney(client, ledger, documents, portrait);
        using var progress = new Timer(_ => Progress(client, ledger, timer), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            int index;
            while (!stopUploads.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < options.Candidates)
            {
                try
                {
                    await journey.RunAsync(index, stopUploads.Token);
                }
                catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException or NullReferenceException)
                {
                    client.Recorder.Add("candidate journey aborted", 0, 598);
                    Console.Error.WriteLine($"candidate {index}: {e.Message}");
                }
            }
        }));
        var uploadSeconds = timer.Elapsed.TotalSeconds;
        var cpuAfter = ProcessCpu.Platform(marker);
        var machineAfter = MachineCpu.Take();

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
        return new RunFigures(uploadSeconds, drain.Elapsed.TotalSeconds, ProcessCpu.Delta(cpuBefore, cpuAfter), ProcessCpu.LoadAverage(), MachineCpu.Delta(machineBefore, machineAfter));
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
            $"submitted {ledger.Submitted.Count,5}  seen {ledger.SeenByReviewer.Count,5}  decided {ledger.Decided.Count,5}  returned {ledger.Returned.Count,4}  sms {ledger.SmsSeen.Count,4}  " +
            $"errors {client.Recorder.Names.Sum(n => client.Recorder[n].Snapshot().Statuses.Where(s => Recorder.IsError(s.Key)).Sum(s => s.Value)),4}  load {ProcessCpu.LoadAverage()}   "));
    }
}
