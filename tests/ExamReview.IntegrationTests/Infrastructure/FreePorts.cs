using System.Net;
using System.Net.Sockets;

namespace ExamReview.IntegrationTests.Infrastructure;

public static class FreePorts
{
    /// <summary>A base port p such that p..p+count are all free on loopback.</summary>
    public static int FindBase(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var candidate = Random.Shared.Next(20_000, 40_000);
            if (Enumerable.Range(candidate, count + 1).All(IsFree))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("No free port range found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
