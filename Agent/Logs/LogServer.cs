using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Docker.DotNet.Models;
using GitOrch.Agent.Runtime;

namespace GitOrch.Agent.Logs;

/// <summary>
/// The agent's HTTP endpoint the Engine proxies <c>pods/{name}/log</c> to:
/// <c>GET /containerLogs/{namespace}/{pod}/{container}?follow=&amp;tailLines=&amp;previous=&amp;timestamps=</c>.
/// It listens on the node's address and requires the Engine's agent token as a bearer credential, so only the
/// Engine (or another holder of that token) can read container output. Built on <see cref="HttpListener"/> rather
/// than Kestrel: one small endpoint does not justify loading ASP.NET into every agent (agent RSS matters on nodes).
/// </summary>
public sealed class LogServer : IAsyncDisposable
{
    public const string PathPrefix = "/containerLogs/";

    private readonly HttpListener _listener;
    private readonly string _nodeName;
    private readonly IContainerRuntime _docker;
    private readonly byte[] _token;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly IReadOnlyList<IAgentHttpEndpoint> _endpoints;

    private LogServer(HttpListener listener, int port, AgentOptions options, IContainerRuntime docker, IReadOnlyList<IAgentHttpEndpoint> endpoints)
    {
        _endpoints = endpoints;
        _listener = listener;
        Port = port;
        _nodeName = options.NodeName;
        _docker = docker;
        _token = Encoding.UTF8.GetBytes(options.Token.Trim());
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>The usage sampler served at <c>/stats/usage</c>, when one was plugged in (see <c>AgentEndpoints</c>).</summary>
    public Metrics.UsageCollector? Usage => _endpoints.OfType<Metrics.UsageEndpoint>().FirstOrDefault()?.Collector;

    public static Task<LogServer> StartAsync(AgentOptions options, IContainerRuntime docker, CancellationToken ct, IReadOnlyList<IAgentHttpEndpoint>? endpoints = null)
    {
        _ = ct;
        var port = options.LogPort;
        if (port == 0)
        {
            // HttpListener cannot bind port 0: ask the OS for a free port on the node's address first.
            using var probe = new TcpListener(IPAddress.Parse(options.NodeIP), 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        var listener = new HttpListener();
        var host = IPAddress.Parse(options.NodeIP).AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.NodeIP}]" : options.NodeIP;
        listener.Prefixes.Add($"http://{host}:{port}/");
        listener.Start();
        return Task.FromResult(new LogServer(listener, port, options, docker, endpoints ?? []));
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "";
            if (path == "/healthz")
            {
                await PlainAsync(response, 200, "ok");
                return;
            }

            if (!Authorized(context.Request.Headers["Authorization"] ?? "", _token))
            {
                await PlainAsync(response, 401, "Unauthorized");
                return;
            }

            if (_endpoints.FirstOrDefault(e => e.Path == path) is { } endpoint && context.Request.HttpMethod == "GET")
            {
                await endpoint.ServeAsync(response, _stop.Token);
                return;
            }

            var parts = path.StartsWith(PathPrefix, StringComparison.Ordinal) ? path[PathPrefix.Length..].Split('/') : [];
            if (context.Request.HttpMethod != "GET" || parts.Length is < 2 or > 3)
            {
                await PlainAsync(response, 404, "not found");
                return;
            }

            var q = context.Request.QueryString;
            var container = parts.Length == 3 ? Uri.UnescapeDataString(parts[2]) : null;
            await ServeAsync(response, Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]), container,
                Flag(q["follow"]), Flag(q["previous"]), Flag(q["timestamps"]),
                int.TryParse(q["tailLines"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null,
                _stop.Token);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away (end of a follow) or the agent is stopping.
        }
        catch (Exception e) when (e is DockerUnavailableException or Docker.DotNet.DockerApiException)
        {
            try
            {
                await PlainAsync(response, 503, "container runtime: " + e.Message);
            }
            catch (Exception inner) when (inner is HttpListenerException or IOException or InvalidOperationException)
            {
            }
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task ServeAsync(HttpListenerResponse response, string ns, string pod, string? container, bool follow, bool previous, bool timestamps, int? tail, CancellationToken ct)
    {
        var all = await _docker.ListAsync(_nodeName, null, ct);
        var ofPod = all.Where(c => c.Labels != null
                && c.Labels.TryGetValue(AgentLabels.PodNamespace, out var cns) && cns == ns
                && c.Labels.TryGetValue(AgentLabels.PodName, out var cpod) && cpod == pod)
            .Select(c => (Id: c.ID, Name: c.Labels[AgentLabels.ContainerName], Attempt: int.TryParse(c.Labels.TryGetValue(AgentLabels.Attempt, out var a) ? a : "0", out var ai) ? ai : 0, Created: c.Created))
            .ToList();
        if (ofPod.Count == 0)
        {
            await PlainAsync(response, 404, $"pod \"{pod}\" in namespace \"{ns}\" has no containers on node {_nodeName}");
            return;
        }

        if (string.IsNullOrEmpty(container))
        {
            var names = ofPod.Select(c => c.Name).Distinct().ToList();
            if (names.Count > 1)
            {
                await PlainAsync(response, 400, $"a container name must be specified for pod {pod}, choose one of: [{string.Join(" ", names)}]");
                return;
            }

            container = names[0];
        }

        // Pod restarts keep the previous instance: attempts ordered, newest first.
        var instances = ofPod.Where(c => c.Name == container).OrderByDescending(c => c.Attempt).ThenByDescending(c => c.Created).ToList();
        var index = previous ? 1 : 0;
        if (instances.Count <= index)
        {
            await PlainAsync(response, previous ? 400 : 404, previous
                ? $"previous terminated container \"{container}\" in pod \"{pod}\" not found"
                : $"container \"{container}\" in pod \"{pod}\" not found");
            return;
        }

        using var stream = await _docker.LogsAsync(instances[index].Id, new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = follow && !previous,
            Timestamps = timestamps,
            Tail = tail?.ToString(CultureInfo.InvariantCulture) ?? "all",
        }, ct);
        response.StatusCode = 200;
        response.ContentType = "text/plain; charset=utf-8";
        response.SendChunked = true;
        var output = response.OutputStream;
        var buffer = new byte[16 * 1024];
        while (true)
        {
            // Docker multiplexes stdout and stderr in frames; the client wants the text, interleaved as written.
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF)
            {
                break;
            }

            await output.WriteAsync(buffer.AsMemory(0, read.Count), ct);
            if (follow)
            {
                await output.FlushAsync(ct);
            }
        }
    }

    private static bool Authorized(string header, byte[] token)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), token);
    }

    private static bool Flag(string? value) => value is "true" or "1" or "True";

    private static async Task PlainAsync(HttpListenerResponse response, int code, string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        response.StatusCode = code;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }
}
