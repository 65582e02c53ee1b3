using System.Net;
using System.Net.Sockets;

namespace Outpost.Benchmarks.Common;

internal static class LoopbackPort
{
    /// <summary>A loopback port that was free a moment ago, for a child process that cannot report the port it bound.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
