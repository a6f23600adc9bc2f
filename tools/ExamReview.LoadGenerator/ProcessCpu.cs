using System.Globalization;

namespace ExamReview.LoadGenerator;

/// <summary>
/// CPU time and context switches per process from /proc, for the platform's service processes and the load
/// generator itself. Ticks are USER_HZ (100 per second on Linux).
/// </summary>
internal static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>
    /// One process: CPU (utime + stime, which keeps the time of threads that have ended) and context switches per
    /// live thread (Linux keeps no process total for them: an ended thread's switches are gone).
    /// </summary>
    public sealed record Sample(int Pid, string Name, double CpuSeconds, IReadOnlyDictionary<int, long> SwitchesByThread)
    {
        public int Threads => SwitchesByThread.Count;

        /// <summary>Switches since <paramref name="earlier"/> by the threads alive now (a thread started since counts whole).</summary>
        public long SwitchesSince(Sample? earlier) =>
            SwitchesByThread.Sum(t => Math.Max(0, t.Value - (earlier?.SwitchesByThread.GetValueOrDefault(t.Key) ?? 0)));
    }

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
        var switches = new Dictionary<int, long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (int.TryParse(Path.GetFileName(task), out var tid) && ThreadSwitches(task) is { } count)
                {
                    switches[tid] = count;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the process ended while we read
        }
        return new Sample(pid, name, stat.Ticks / TicksPerSecond, switches);
    }

    private static long? ThreadSwitches(string task)
    {
        try
        {
            long switches = 0;
            foreach (var line in File.ReadLines(Path.Combine(task, "status")))
            {
                if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    switches += long.Parse(line.Split(':', 2)[1].Trim(), CultureInfo.InvariantCulture);
                }
            }
            return switches;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the thread ended while we read
        }
    }

    /// <summary>CPU seconds and switches spent between two samplings, per process name (replicas summed).</summary>
    public static IReadOnlyList<(string Name, double CpuSeconds, long Switches, int Processes)> Delta(IReadOnlyList<Sample> before, IReadOnlyList<Sample> after)
    {
        var earlier = before.ToDictionary(s => s.Pid);
        return after
            .Select(a => (a.Name, Cpu: a.CpuSeconds - (earlier.TryGetValue(a.Pid, out var b) ? b.CpuSeconds : 0), Switches: a.SwitchesSince(earlier.GetValueOrDefault(a.Pid))))
            .GroupBy(x => x.Name)
            .Select(g => (g.Key, g.Sum(x => x.Cpu), g.Sum(x => x.Switches), g.Count()))
            .OrderBy(x => x.Key, StringComparer.Ordinal)
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
