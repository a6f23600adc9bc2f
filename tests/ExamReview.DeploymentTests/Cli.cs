using System.Diagnostics;
using System.Text;

namespace ExamReview.DeploymentTests;

public sealed record CliResult(int ExitCode, string Output)
{
    public CliResult EnsureSuccess(string what) =>
        ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed (exit {ExitCode}):\n{Output}");
}

/// <summary>Runs docker and docker-compose with the deployment's environment; output is captured whole.</summary>
public static class Cli
{
    public static async Task<CliResult> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Debian's dockerd 20.10 serves API 1.41; a newer client on PATH must not ask for more.
        start.Environment.TryAdd("DOCKER_API_VERSION", "1.41");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new CliResult(-1, $"{file} could not be started: {ex.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Append(output, $"(killed after {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s)");
            return new CliResult(-1, Text(output));
        }
        process.WaitForExit(); // flushes the asynchronous output readers
        return new CliResult(process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
