using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// An embedded platform of its own whose ImageValidation scans with a clamd this fixture plays: it answers PING at once
/// and holds every INSTREAM's verdict until the test releases them (<see cref="ReleaseVerdicts"/>), so an image can be
/// watched reading 待检测 for as long as a test needs, as at the peak when the validation backlog is minutes.
/// </summary>
public sealed class HeldVerdictPlatform : EmbeddedPlatform, IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private volatile TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldVerdictPlatform()
    {
        _listener.Start();
        _ = AcceptAsync();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Settings = new Dictionary<string, string>
        {
            ["ClamAv__Endpoint"] = $"tcp://127.0.0.1:{port}",
            ["ClamAv__AllowUnscanned"] = "false",
            // Longer than any hold: a scan timing out would be retried anyway, but need not be.
            ["ClamAv__Timeout"] = "00:03:00",
        };
    }

    protected override IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>From now on scans wait again for <see cref="ReleaseVerdicts"/>.</summary>
    public void HoldVerdicts() => _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every scan waiting, and every scan until the next hold, is answered clean.</summary>
    public void ReleaseVerdicts() => _released.TrySetResult();

    public override async Task DisposeAsync()
    {
        ReleaseVerdicts();
        await _stop.CancelAsync();
        _listener.Stop();
        await base.DisposeAsync();
        Dispose();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(socket);
        }
    }

    /// <summary>One clamd exchange: "zPING\0" → "PONG", or "zINSTREAM\0" + length-prefixed chunks → (held) "stream: OK".</summary>
    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            try
            {
                var command = new StringBuilder();
                var one = new byte[1];
                while (await stream.ReadAsync(one, _stop.Token) == 1 && one[0] != 0)
                {
                    command.Append((char)one[0]);
                }
                if (command.ToString() == "zINSTREAM")
                {
                    var length = new byte[4];
                    while (true)
                    {
                        await stream.ReadExactlyAsync(length, _stop.Token);
                        var size = BinaryPrimitives.ReadInt32BigEndian(length);
                        if (size == 0)
                        {
                            break;
                        }
                        await stream.ReadExactlyAsync(new byte[size], _stop.Token);
                    }
                    await _released.Task.WaitAsync(_stop.Token);
                    await stream.WriteAsync("stream: OK\0"u8.ToArray(), _stop.Token);
                }
                else
                {
                    await stream.WriteAsync("PONG\0"u8.ToArray(), _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or EndOfStreamException)
            {
                // the platform went away, or the test ended
            }
        }
    }
}
