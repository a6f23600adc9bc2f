using System.Net;
using System.Net.Sockets;

namespace ExamReview.ImageValidation.Tests.Scanning;

/// <summary>
/// A loopback front for the real clamd that hangs up on the first <c>failures</c> connections (a clamd restarting
/// or reloading) and forwards every later one to clamd: an outage that ends.
/// </summary>
internal sealed class FlakyScanner : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public FlakyScanner(int failures, int clamdPort)
    {
        _listener.Start();
        _loop = AcceptAsync(failures, clamdPort);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync(int failures, int clamdPort)
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                if (Interlocked.Increment(ref _connections) <= failures)
                {
                    client.Dispose();
                    continue;
                }
                _ = ForwardAsync(client, clamdPort);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ForwardAsync(TcpClient client, int clamdPort)
    {
        using (client)
        using (var clamd = new TcpClient())
        {
            await clamd.ConnectAsync(IPAddress.Loopback, clamdPort, _stop.Token);
            var up = client.GetStream().CopyToAsync(clamd.GetStream(), _stop.Token);
            // clamd answers and closes once the stream ends; that reply goes back, then both close.
            await clamd.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            client.Client.Shutdown(SocketShutdown.Send);
            await Task.WhenAny(up, Task.Delay(1000));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
