using System.Net.Sockets;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Probes;

/// <summary>Runs one probe once: exec (exit code 0), httpGet (2xx/3xx), tcpSocket (connect succeeds), each bounded by timeoutSeconds.</summary>
public sealed class ProbeRunner(IContainerRuntime docker, string nodeIP)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The same runner aimed at another address (a Pod's own IP on the Pod network).</summary>
    public ProbeRunner ForHost(string host) => host == nodeIP ? this : new ProbeRunner(docker, host);

    public async Task<bool> RunAsync(Probe probe, Container container, string containerId, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            if (probe.Exec?.Command is { Count: > 0 } command)
            {
                return await docker.ExecAsync(containerId, command, timeout, cts.Token) == 0;
            }

            if (probe.HttpGet is { } http)
            {
                var host = string.IsNullOrEmpty(http.Host) ? nodeIP : http.Host;
                var scheme = string.Equals(http.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
                var path = string.IsNullOrEmpty(http.Path) ? "/" : http.Path;
                var url = $"{scheme}://{host}:{Port(http.Port, container)}{(path.StartsWith('/') ? path : "/" + path)}";
                using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                return (int)response.StatusCode is >= 200 and < 400;
            }

            if (probe.TcpSocket is { } tcp)
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(string.IsNullOrEmpty(tcp.Host) ? nodeIP : tcp.Host, Port(tcp.Port, container), cts.Token);
                return true;
            }

            return true; // a probe without a handler is treated as passing, like a missing probe
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // timed out
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or DockerUnavailableException or Docker.DotNet.DockerApiException)
        {
            return false;
        }
    }

    private static int Port(IntOrString port, Container container)
    {
        if (!port.IsString)
        {
            return port.IntValue;
        }

        return container.Ports?.FirstOrDefault(p => p.Name == port.StringValue)?.ContainerPort
            ?? (int.TryParse(port.StringValue, out var n) ? n : 0);
    }
}
