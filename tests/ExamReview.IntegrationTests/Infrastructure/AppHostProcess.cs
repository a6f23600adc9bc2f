using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ExamReview.IntegrationTests.Infrastructure;

/// <summary>
/// Runs a host exactly as the README does (as a process: the embedded host or the Aspire AppHost) and collects the
/// <c>Name URL</c> lines it prints once each service is ready.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentDictionary<string, Uri> _services = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _allReady = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static readonly string[] ServiceNames = ["Registration", "MaterialStorage", "ImageValidation", "ReviewWorkflow", "Notification"];

    private AppHostProcess(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        startInfo.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }
        _process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _allReady.TrySetException(new InvalidOperationException("The AppHost exited early:\n" + Tail()));
    }

    public IReadOnlyDictionary<string, Uri> Services => _services;

    public static async Task<AppHostProcess> StartAsync(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var host = new AppHostProcess(assembly, arguments, environment);
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        try
        {
            await host._allReady.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await host.DisposeAsync();
            throw new TimeoutException($"The AppHost did not report every service ready within {timeout}:\n{host.Tail()}");
        }
        return host;
    }

    /// <summary>CPU time the AppHost process has used so far (the whole platform when embedded; the launcher alone when distributed).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Tail(int lines = 60) => string.Join('\n', _output.TakeLast(lines));

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 2000)
        {
            _output.TryDequeue(out _);
        }
        var match = ReadyLine().Match(line);
        if (match.Success)
        {
            _services[match.Groups[1].Value] = new Uri(match.Groups[2].Value.TrimEnd('/'));
            if (ServiceNames.All(_services.ContainsKey))
            {
                _allReady.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already gone
        }
        _process.Dispose();
    }

    [GeneratedRegex(@"^(Registration|MaterialStorage|ImageValidation|ReviewWorkflow|Notification|SmsProviderStub) (http://\S+)$")]
    private static partial Regex ReadyLine();
}
