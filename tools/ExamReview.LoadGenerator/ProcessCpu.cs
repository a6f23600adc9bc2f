using System.Globalization;

namespace ExamReview.LoadGenerator;

/// <summary>
/// CPU time and context switches per process from /proc, for the platform's service processes and the load
/// generator itself. Ticks are USER_HZ (100 per second on Linux).
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>One thread: its name (<c>comm</c>, 15 characters), context switches and CPU ticks so far.</summary>
    public sealed record ThreadSample(string Name, long Switches, long Ticks)
    {
        /// <summary>
        /// The runtime's tiered-compilation worker (".NET Tiered Compilation Worker", cut to 15 characters): it
        /// recompiles methods that became hot, so its CPU is the JIT still warming up rather than the work itself.
        /// </summary>
        public bool IsJitWorker => Name.StartsWith(".NET Tiered Com", StringComparison.Ordinal);
    }

    /// <summary>
    /// One process: CPU (utime + stime, which keeps the time of threads that have ended) and, per live thread, its
    /// context switches and CPU (Linux keeps no process total of switches: an ended thread's are gone).
    /// </summary>
    public sealed record Sample(int Pid, string Name, double CpuSeconds, IReadOnlyDictionary<int, ThreadSample> Threads)
    {
        public int ThreadCount => Threads.Count;

        /// <summary>Switches since <paramref name="earlier"/> by the threads alive now (a thread started since counts whole).</summary>
        public long SwitchesSince(Sample? earlier) =>
            Threads.Sum(t => Math.Max(0, t.Value.Switches - (earlier?.Threads.GetValueOrDefault(t.Key)?.Switches ?? 0)));

        /// <summary>
        /// CPU seconds of the tiered-compilation worker since <paramref name="earlier"/>, counted like the switches: a
        /// worker that ended in between (it retires after a few idle seconds) is missed, so this is a lower bound.
        /// </summary>
        public double JitSecondsSince(Sample? earlier) =>
            Threads.Where(t => t.Value.IsJitWorker)
                .Sum(t => Math.Max(0, t.Value.Ticks - (earlier?.Threads.GetValueOrDefault(t.Key)?.Ticks ?? 0))) / TicksPerSecond;
    }

    /// <summary>What one service (its replicas summed) spent between two samplings.</summary>
    public sealed record ProcessDelta(string Name, double CpuSeconds, long Switches, double JitSeconds, int Processes);

    /// <summary>
    /// The run's service processes: those whose command line names an ExamReview assembly and whose environment
    /// carries the run's marker (its database prefix / virtual host, which the AppHost passes to every service in its
    /// connection strings). DCP launches the services detached from the AppHost, so the process tree does not find them.
    /// </summary>
    public static IReadOnlyList<Sample> Platform(string marker)
    {
        var samples = new List<Sample>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ServiceName(pid) is { } name && Carries(pid, marker) && Read(pid, name) is { } sample)
            {
                samples.Add(sample);
            }
        }
        return samples;
    }

    private static bool Carries(int pid, string marker)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Contains(marker, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static Sample? Self() => Read(Environment.ProcessId, "LoadGenerator");

    public static Sample? Read(int pid, string name)
    {
        if (ReadStat(pid) is not { } stat)
        {
            return null;
        }
        var threads = new Dictionary<int, ThreadSample>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (int.TryParse(Path.GetFileName(task), out var tid) && ReadThread(task) is { } thread)
                {
                    threads[tid] = thread;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the process ended while we read
        }
        return new Sample(pid, name, stat.Ticks / TicksPerSecond, threads);
    }

    private static ThreadSample? ReadThread(string task)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            long switches = 0;
            foreach (var line in File.ReadLines(Path.Combine(task, "status")))
            {
                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    switches += long.Parse(line.Split(':', 2)[1].Trim(), CultureInfo.InvariantCulture);
                }
            }
            return new ThreadSample(name, switches, ticks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null; // the thread ended while we read (its stat empty or cut short)
        }
    }

    /// <summary>CPU seconds, switches and JIT worker seconds spent between two samplings, per process name (replicas summed).</summary>
    public static IReadOnlyList<ProcessDelta> Delta(IReadOnlyList<Sample> before, IReadOnlyList<Sample> after)
    {
        var earlier = before.ToDictionary(s => s.Pid);
        return after
            .Select(a => (a.Name, Earlier: earlier.GetValueOrDefault(a.Pid), Now: a))
            .GroupBy(x => x.Name)
            .Select(g => new ProcessDelta(
                g.Key,
                g.Sum(x => x.Now.CpuSeconds - (x.Earlier?.CpuSeconds ?? 0)),
                g.Sum(x => x.Now.SwitchesSince(x.Earlier)),
                g.Sum(x => x.Now.JitSecondsSince(x.Earlier)),
                g.Count()))
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .ToList();
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? ServiceName(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            if (cmdline.Contains(" run ", StringComparison.Ordinal) && cmdline.Contains("--project", StringComparison.Ordinal))
            {
                return null; // `dotnet run` wrapper, not the service itself
            }
            foreach (var name in new[] { "Registration", "MaterialStorage", "ImageValidation", "ReviewWorkflow", "Notification", "SmsProviderStub" })
            {
                if (cmdline.Contains("ExamReview." + name, StringComparison.Ordinal))
                {
                    return name;
                }
            }
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static (int Parent, long Ticks)? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (parent, ticks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
