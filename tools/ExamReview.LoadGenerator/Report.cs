using System.Globalization;

namespace ExamReview.LoadGenerator;

/// <summary>The closing table: per endpoint, the end-to-end waits, and each platform figure beside its floor as a ratio.</summary>
internal static class Report
{
    private const string Upload = "POST materials/.../images";

    public static void Print(LoadOptions options, Recorder recorder, Ledger ledger, RunFigures run, FloorResults? floors)
    {
        var seconds = run.UploadSeconds;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per endpoint over the {seconds:F0} s measured load phase (latency in ms, 2xx only; errors by status, 599 = no answer; load average at end {run.LoadAverageAtEnd}):"));
        if (run.Warmup is { } warmup)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"after a warm-up of {warmup.Seconds:F0} s at the same load ({warmup.Uploads} uploads; its {warmup.Answers} answers and {warmup.Errors} errors are not in the figures below)"));
        }
        if (options.UploadsPerSecond is { } offered)
        {
            var schedule = new ArrivalSchedule(offered);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"open loop: {offered:F1} uploads/s offered (a candidate every {schedule.Interval.TotalSeconds:F2} s), at most {options.Concurrency} candidates in flight; " +
                $"arrivals turned away at that cap: {ledger.TurnedAwayCount - (run.Warmup?.TurnedAway ?? 0)} (more than none: the offered rate was above what the platform carried)"));
        }
        foreach (var name in recorder.Names.Where(n => !n.StartsWith("e2e", StringComparison.Ordinal)))
        {
            Console.WriteLine(recorder.Line(name, seconds));
        }
        Console.WriteLine("end to end (what people wait for):");
        foreach (var name in recorder.Names.Where(n => n.StartsWith("e2e", StringComparison.Ordinal)))
        {
            Console.WriteLine(recorder.Line(name, seconds));
        }

        var uploads = recorder.Count(Upload);
        var uploadRate = uploads / seconds;
        var verdictRate = run.Verdicts / seconds;
        var (_, _, uploadP99, _) = Percentiles.Summary(recorder[Upload].Snapshot().Ok);
        var platformCpu = run.Cpu.Sum(c => c.CpuSeconds);
        var cpuPerUpload = run.Verdicts == 0 ? double.NaN : 1000 * platformCpu / run.Verdicts;
        Console.WriteLine();
        Console.WriteLine("platform CPU during the load phase (per process, from /proc; replicas summed; JIT = the tiered-compilation worker thread, at least):");
        foreach (var (name, cpu, switches, jit, processes) in run.Cpu)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-16} x{processes}  {cpu,8:F1} CPU s  {100 * cpu / seconds,6:F1}% of a core  {PerUpload(cpu),7:F1} CPU ms per validated upload  {switches / seconds,8:F0} switches/s  JIT {PerUpload(jit),5:F1} ms"));
        }
        var jitCpu = run.Cpu.Sum(c => c.JitSeconds);
        var warm = jitCpu > 0.05 * platformCpu ? "still warming up, a longer --warmup measures the steady state" : "warm";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  of the platform's {PerUpload(platformCpu):F1} CPU ms per upload, {PerUpload(jitCpu):F1} went to the JIT recompiling hot methods ({100 * jitCpu / seconds:F1}% of a core): {warm}"));

        double PerUpload(double cpuSeconds) => run.Verdicts == 0 ? 0 : 1000 * cpuSeconds / run.Verdicts;

        PrintMachine(run, platformCpu, seconds, run.Verdicts);
        DatabaseStatements.Print(run.Statements, run.Verdicts, Console.WriteLine);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"figures beside their floors (same run, same servers; load average {run.LoadAverageAtEnd}):"));
        Row("document uploads accepted", uploadRate, "/s", floors?.S3PutsPerSecond, "raw S3 PUTs/s of the same files");
        Row("  (each upload stores 2 objects: the S3 ceiling for uploads is half the PUT floor)", uploadRate, "/s", floors is null ? null : floors.S3PutsPerSecond / 2, "S3 PUTs/s ÷ 2");
        Row("verdicts (validated uploads)", verdictRate, "/s", floors?.VipsDocumentsPerSecond, "libvips decode+encode docs/s, all cores");
        Row("upload p99 latency", uploadP99, " ms", floors?.S3PutP99Ms, "raw S3 PUT p99 ms (ratio = platform / floor)");
        Row("messages (≈2 per upload: uploaded, validated)", 2 * verdictRate, "/s", floors?.RabbitRoundTripsPerSecond, "RabbitMQ confirmed publish+consume/s");
        Row("database transactions (≈3 per upload: row, verdict, outbox mark)", 3 * uploadRate, "/s", floors?.PgInsertsPerSecond, "PostgreSQL single-row insert transactions/s");
        Row("CPU per accepted+validated upload (the platform's processes above)", cpuPerUpload, " ms", floors?.UploadCpuMs,
            floors is null ? "" : string.Create(CultureInfo.InvariantCulture, $"libvips decode+encode {floors.VipsCpuMsPerDocument:F1} + 2 × S3 PUT client {floors.S3ClientCpuMsPerPut:F2} CPU ms"));
        // The two services an upload passes through also do each candidate's other work (the photo tool's face check,
        // the page, the session, the submit), so this is an upper bound for the upload path; the target is judged on
        // the whole platform above.
        var uploadPathCpu = run.Cpu.Where(c => c.Name is "MaterialStorage" or "ImageValidation").Sum(c => c.CpuSeconds);
        Row("  of it MaterialStorage + ImageValidation (upper bound)", PerUpload(uploadPathCpu), " ms", floors?.UploadCpuMs, "the same floor; the services the upload passes through");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"targets (issue 19): ≥100 uploads/s {(uploadRate >= 100 ? "MET" : "missed")} ({uploadRate:F1}); upload p99 < 300 ms {(uploadP99 < 300 ? "MET" : "missed")} ({uploadP99:F0}); " +
            $"upload→verdict p99 < 1 s {Met("e2e upload → verdict visible", 1000)}; submit→reviewer p99 < 2 s {Met("e2e submit → visible to reviewer", 2000)}; " +
            $"CPU/upload ≤ 2× floor {(floors is null ? "n/a" : cpuPerUpload <= 2 * floors.UploadCpuMs ? "MET" : "missed")}"));

        string Met(string series, double limit)
        {
            var (_, _, p99, _) = Percentiles.Summary(recorder[series].Snapshot().Ok);
            return double.IsNaN(p99) ? "n/a" : p99 < limit ? $"MET ({p99:F0} ms)" : $"missed ({p99:F0} ms)";
        }
    }

    /// <summary>The whole machine's CPU in the load phase: the services, each server, the proxies, this program, the rest, idle.</summary>
    private static void PrintMachine(RunFigures run, double platformCpu, double seconds, long verdicts)
    {
        var (busy, idle, parts) = run.Machine;
        if (double.IsNaN(busy))
        {
            return;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the machine's CPU during the load phase ({Environment.ProcessorCount} cores = {100 * Environment.ProcessorCount}% of a core; /proc/stat, container cgroups):"));
        var rows = new List<(string Name, double Seconds)> { ("the services above", platformCpu) };
        rows.AddRange(parts);
        rows.Add(("everything else (Docker daemon, kernel, other users)", busy - rows.Sum(r => r.Seconds)));
        rows.Add(("idle", idle));
        foreach (var (name, cpu) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-54} {cpu,8:F1} CPU s  {100 * cpu / seconds,6:F1}% of a core  {(verdicts == 0 ? 0 : 1000 * cpu / verdicts),7:F1} CPU ms per validated upload"));
        }
    }

    private static void Row(string what, double value, string unit, double? floor, string floorWhat)
    {
        var ratio = floor is { } f && f > 0 ? value / f : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-72} {value,9:F1}{unit,-3}  floor {(floor is { } fl ? fl.ToString("F1", CultureInfo.InvariantCulture) : "n/a"),9}  ratio {ratio,6:F2}  ({floorWhat})"));
    }
}
