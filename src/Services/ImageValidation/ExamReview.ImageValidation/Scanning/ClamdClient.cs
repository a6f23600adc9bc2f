using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExamReview.ImageValidation.Scanning;

/// <summary>What clamd said about one stream.</summary>
/// <param name="Infected">True when a signature matched.</param>
/// <param name="Signature">The matched signature's name (e.g. "Eicar-Test-Signature"), or null when clean.</param>
public sealed record ScanVerdict(bool Infected, string? Signature);

/// <summary>clamd could not be reached or did not answer as expected: the bytes were not judged.</summary>
public sealed class ScannerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A minimal clamd client speaking the INSTREAM protocol ("zINSTREAM\0", chunks prefixed by their 4-byte big-endian
/// length, a zero-length chunk to end, one NUL-terminated reply) over TCP or a unix socket. Written here rather than
/// taken from NuGet because no maintained client is available to this build and the protocol is a few lines.
/// </summary>
public sealed class ClamdClient(ClamAvOptions options)
{
    // clamd's default StreamMaxLength is 25 MB; chunks well below its limits keep memory flat on both sides.
    private const int ChunkSize = 64 * 1024;

    public async Task<ScanVerdict> ScanAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var reply = await ExchangeAsync(async stream =>
        {
            await stream.WriteAsync("zINSTREAM\0"u8.ToArray(), cancellationToken);
            var length = new byte[4];
            for (var offset = 0; offset < content.Length; offset += ChunkSize)
            {
                var chunk = content.Slice(offset, Math.Min(ChunkSize, content.Length - offset));
                BinaryPrimitives.WriteInt32BigEndian(length, chunk.Length);
                await stream.WriteAsync(length, cancellationToken);
                await stream.WriteAsync(chunk, cancellationToken);
            }
            BinaryPrimitives.WriteInt32BigEndian(length, 0);
            await stream.WriteAsync(length, cancellationToken);
        }, cancellationToken);
        return ParseReply(reply);
    }

    /// <summary>PING → PONG: the readiness probe and the test fixture's wait.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reply = await ExchangeAsync(stream => stream.WriteAsync("zPING\0"u8.ToArray(), cancellationToken).AsTask(), cancellationToken);
            return reply == "PONG";
        }
        catch (ScannerUnavailableException)
        {
            return false;
        }
    }

    /// <summary>"stream: OK", "stream: NAME FOUND"; anything else (e.g. "INSTREAM size limit exceeded. ERROR") is not a verdict.</summary>
    public static ScanVerdict ParseReply(string reply)
    {
        const string prefix = "stream: ";
        if (reply.StartsWith(prefix, StringComparison.Ordinal))
        {
            var body = reply[prefix.Length..];
            if (body == "OK")
            {
                return new ScanVerdict(false, null);
            }
            if (body.EndsWith(" FOUND", StringComparison.Ordinal))
            {
                return new ScanVerdict(true, body[..^" FOUND".Length]);
            }
        }
        throw new ScannerUnavailableException($"clamd gave no verdict: '{reply}'.");
    }

    private async Task<string> ExchangeAsync(Func<NetworkStream, Task> send, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var socket = options.EndpointUri.Scheme == "unix"
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            EndPoint endpoint = options.EndpointUri.Scheme == "unix"
                ? new UnixDomainSocketEndPoint(options.EndpointUri.AbsolutePath)
                : new DnsEndPoint(options.EndpointUri.Host, options.EndpointUri.Port);
            await socket.ConnectAsync(endpoint, timeout.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await send(stream);
            await stream.FlushAsync(timeout.Token);
            return await ReadReplyAsync(stream, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ScannerUnavailableException($"clamd at {options.Endpoint} is unreachable: {e.Message}", e);
        }
    }

    private static async Task<string> ReadReplyAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        // Replies are one short line; clamd closes the connection after it ("z" commands end it with NUL).
        var buffer = new byte[1024];
        var received = 0;
        while (received < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(received), cancellationToken);
            if (read == 0)
            {
                break;
            }
            received += read;
            if (Array.IndexOf(buffer, (byte)0, 0, received) >= 0)
            {
                break;
            }
        }
        return Encoding.ASCII.GetString(buffer, 0, received).TrimEnd('\0', '\n');
    }
}
