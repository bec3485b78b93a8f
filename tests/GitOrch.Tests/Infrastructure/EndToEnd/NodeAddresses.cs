using System.Net;
using System.Net.Sockets;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>
/// Loopback addresses for the end-to-end tests' nodes, from 127.0.3.0/24 (other suites use other /24s). Containers
/// use host networking, so each node's Pods and Service proxy bind its own address; hello's fixed ports (hostPort
/// 8080, Service port 8000) then never clash between tests. An address is handed out once per test run, and only
/// when nothing (a container a crashed run left behind, say) holds those ports on it.
/// </summary>
public static class NodeAddresses
{
    private static readonly int[] FixedPorts = { 8000, 8080 };
    private static readonly HashSet<int> Used = new();
    private static readonly object Gate = new();

    public static string Next()
    {
        lock (Gate)
        {
            // Start somewhere different in every run, so a leftover from the previous run is simply skipped.
            var start = Random.Shared.Next(10, 250);
            for (var i = 0; i < 240; i++)
            {
                var host = 10 + ((start - 10 + i) % 240);
                if (Used.Add(host) && FixedPorts.All(p => IsFree(host, p)))
                {
                    return "127.0.3." + host;
                }
            }
        }

        throw new InvalidOperationException("no free address left in 127.0.3.0/24");
    }

    private static bool IsFree(int host, int port)
    {
        try
        {
            using var l = new TcpListener(new IPAddress(new byte[] { 127, 0, 3, (byte)host }), port);
            l.Start();
            l.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
