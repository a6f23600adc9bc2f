using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ExamReview.ImageValidation.Scanning;
using Xunit;

namespace ExamReview.ImageValidation.Tests.Scanning;

/// <summary>
/// A real clamd (Debian's clamav-daemon, scripts/prerequisites.sh --tests) on a free loopback port, loading only the
/// project's EICAR database (tools/clamav/eicar.ndb): the official signatures cannot be downloaded on these machines,
/// and the EICAR test string is what every scanner is built to flag. Started once for the test class, stopped after.
/// </summary>
public sealed class ClamdFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"clamd-{Guid.NewGuid():N}");
    private Process? _clamd;

    public ClamAvOptions Options { get; private set; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        File.Copy(Path.Combine(RepositoryRoot(), "tools", "clamav", "eicar.ndb"), Path.Combine(_directory, "eicar.ndb"));
        var port = FreePort();
        var config = Path.Combine(_directory, "clamd.conf");
        await File.WriteAllLinesAsync(config,
        [
            $"DatabaseDirectory {_directory}",
            "TCPAddr 127.0.0.1",
            $"TCPSocket {port}",
            "Foreground yes",
            $"LogFile {Path.Combine(_directory, "clamd.log")}",
        ]);
        _clamd = Process.Start(new ProcessStartInfo("clamd", ["-c", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("clamd did not start (apt-get install clamav-daemon).");
        _clamd.OutputDataReceived += (_, _) => { };
        _clamd.ErrorDataReceived += (_, _) => { };
        _clamd.BeginOutputReadLine();
        _clamd.BeginErrorReadLine();

        Options = new ClamAvOptions { Endpoint = $"tcp://127.0.0.1:{port}", Timeout = TimeSpan.FromSeconds(10) };
        var client = new ClamdClient(Options);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await client.PingAsync(CancellationToken.None))
        {
            if (_clamd.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"clamd did not answer PING: {ReadLog()}");
            }
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (_clamd is { HasExited: false })
        {
            _clamd.Kill();
            await _clamd.WaitForExitAsync();
        }
        _clamd?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A loopback port nobody listens on: what "the scanner is down" looks like.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string ReadLog()
    {
        var log = Path.Combine(_directory, "clamd.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tools", "clamav", "eicar.ndb")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"tools/clamav/eicar.ndb not found above {AppContext.BaseDirectory}.");
    }
}
