using System.Globalization;
using System.Text.Json;

namespace ExamReview.LoadGenerator;

/// <summary>
/// Where the whole machine's CPU went during the load phase, so "the limit is the machine" is a measurement: busy
/// and idle from /proc/stat, each server container from its cgroup (cpuacct, which keeps the time of PostgreSQL's
/// exited backends too), Docker's userland port proxies (every loopback byte to a container passes one), and the
/// load generator itself. The service processes are measured by <see cref="ProcessCpu"/>; what none of these names
/// is the rest (the Docker daemon, the kernel's own work, other users of the machine).
/// </summary>
internal static class MachineCpu
{
    private const double TicksPerSecond = 100;
    private const string DockerCgroups = "/sys/fs/cgroup/cpuacct/docker";

    public sealed record Sample(double BusySeconds, double IdleSeconds, IReadOnlyDictionary<string, double> Parts);

    public static Sample Take()
    {
        var parts = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, seconds) in Containers())
        {
            parts[name] = parts.GetValueOrDefault(name) + seconds;
        }
        parts["docker-proxy (port forwarding)"] = Processes("docker-proxy");
        parts["load generator (this program)"] = ProcessCpu.Self()?.CpuSeconds ?? 0;
        var (busy, idle) = Totals();
        return new Sample(busy, idle, parts);
    }

    /// <summary>CPU seconds per part between two samples, largest first; busy and idle of the whole machine.</summary>
    public static (double Busy, double Idle, IReadOnlyList<(string Name, double Seconds)> Parts) Delta(Sample before, Sample after) =>
        (after.BusySeconds - before.BusySeconds, after.IdleSeconds - before.IdleSeconds,
            after.Parts.Select(p => (p.Key, p.Value - before.Parts.GetValueOrDefault(p.Key))).Where(p => p.Item2 > 0).OrderByDescending(p => p.Item2).ToList());

    /// <summary>All cores: busy (user, nice, system, irq, softirq, steal) and idle (idle, iowait) seconds since boot.</summary>
    private static (double Busy, double Idle) Totals()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + fields[4];
            var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
            return (busy / TicksPerSecond, idle / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return (double.NaN, double.NaN);
        }
    }

    /// <summary>Each running container's CPU, named by its image's server (examreview-infra-postgres → PostgreSQL container).</summary>
    private static IEnumerable<(string Name, double Seconds)> Containers()
    {
        if (!Directory.Exists(DockerCgroups))
        {
            yield break;
        }
        foreach (var dir in Directory.EnumerateDirectories(DockerCgroups))
        {
            double nanoseconds;
            try
            {
                nanoseconds = long.Parse(File.ReadAllText(Path.Combine(dir, "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                continue;
            }
            yield return (ContainerName(Path.GetFileName(dir)), nanoseconds / 1e9);
        }
    }

    private static string ContainerName(string id)
    {
        try
        {
            using var config = JsonDocument.Parse(File.ReadAllText($"/var/lib/docker/containers/{id}/config.v2.json"));
            var name = config.RootElement.GetProperty("Name").GetString()?.TrimStart('/') ?? id[..12];
            return name switch
            {
                _ when name.Contains("postgres", StringComparison.Ordinal) => "PostgreSQL (container)",
                _ when name.Contains("rabbitmq", StringComparison.Ordinal) => "RabbitMQ (container)",
                _ when name.Contains("s3", StringComparison.Ordinal) => "S3 server (container)",
                _ => $"container {name}",
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException)
        {
            return $"container {id[..12]}";
        }
    }

    /// <summary>CPU seconds of the live processes with this command name (docker-proxy lives as long as its port).</summary>
    private static double Processes(string command)
    {
        var total = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == command && ProcessCpu.Read(pid, command) is { } sample)
                {
                    total += sample.CpuSeconds;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended while we looked
            }
        }
        return total;
    }
}
