using System.Globalization;

namespace ExamReview.LoadGenerator;

/// <summary>The platform at rest: CPU and context switches per process over a quiet window (nobody calls it).</summary>
internal static class Rest
{
    public static async Task MeasureAsync(string marker, TimeSpan window, Action<string> say)
    {
        var before = ProcessCpu.Platform(marker);
        await Task.Delay(window);
        var after = ProcessCpu.Platform(marker);
        var seconds = window.TotalSeconds;
        say($"at rest for {seconds:F0} s (load average {ProcessCpu.LoadAverage()}):");
        double cpu = 0;
        long switches = 0;
        foreach (var (name, cpuSeconds, delta, _, processes) in ProcessCpu.Delta(before, after))
        {
            cpu += cpuSeconds;
            switches += delta;
            say(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-16} x{processes}  {100 * cpuSeconds / seconds,6:F2}% of a core  {delta / seconds,8:F0} context switches/s  {after.Where(a => a.Name == name).Sum(a => a.ThreadCount),4} threads"));
        }
        say(string.Create(CultureInfo.InvariantCulture, $"  platform total    {100 * cpu / seconds,6:F2}% of a core  {switches / seconds,8:F0} context switches/s"));
    }
}
