using GitOrch.Agent.Logs;
using GitOrch.Agent.Metrics;
using GitOrch.Agent.Nodes;
using GitOrch.Agent.Pods;
using GitOrch.Agent.Probes;
using GitOrch.Agent.Proxy;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOrch.Agent.Hosting;

/// <summary>
/// A running node agent: log endpoint, Node registration and heartbeat, and the Pod manager, all talking to the
/// Engine through its HTTP API only. <c>gitorch agent</c>, <c>gitorch server --with-agent</c> and the tests all
/// start it here. Disposing stops the agent but leaves containers running, so the next agent adopts them.
/// </summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly GitOrchClient _client;
    private readonly IContainerRuntime _docker;
    private readonly LogServer? _logs;
    private readonly NodeAgent _node;
    private readonly PodManager _pods;
    private readonly SemaphoreSlim _gate;
    private readonly ServiceProxy? _proxy;
    private int _disposed;

    private AgentHost(AgentOptions options, GitOrchClient client, IContainerRuntime docker, LogServer? logs, NodeAgent node, PodManager pods, SemaphoreSlim gate, ServiceProxy? proxy)
    {
        Usage = logs?.Usage;
        _proxy = proxy;
        Options = options;
        _client = client;
        _docker = docker;
        _logs = logs;
        _node = node;
        _pods = pods;
        _gate = gate;
    }

    public AgentOptions Options { get; }

    /// <summary>e.g. <c>http://127.0.0.10:40123</c>: where the Engine reaches this agent's log endpoint (port 0 when it is off).</summary>
    public Uri LogUrl => new($"http://{Options.NodeIP}:{_logs?.Port ?? 0}");

    public NodeAgent Node => _node;

    public PodManager Pods => _pods;

    /// <summary>The agent's API client: over HTTPS it trusts only <see cref="AgentOptions.Ca"/>.</summary>
    /// <exception cref="ArgumentException">An https server without a CA.</exception>
    public static GitOrchClient CreateClient(AgentOptions options)
    {
        if (options.Server.Scheme == Uri.UriSchemeHttps && options.Ca == null)
        {
            throw new ArgumentException($"no CA to verify the Engine at {options.Server}: pass --ca-file <engine data dir>/ca.crt, or join with the K10 token of <engine data dir>/join.token", nameof(options));
        }

        return new GitOrchClient(options.Server, options.Token, options.Ca == null ? null : new Api.Client.Tls.EngineTlsHandler(options.Ca))
        {
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The usage sampler behind <c>/stats/usage</c>; null when the agent serves no HTTP endpoint (hollow benchmark agents).</summary>
    public UsageCollector? Usage { get; }

    public static async Task<AgentHost> StartAsync(AgentOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("GitOrch.Agent");
        Directory.CreateDirectory(options.DataDir);
        if (options.Ca != null)
        {
            // A K10 join token pins the CA's fingerprint only: fetch the CA and check it before any token is sent.
            options = options with { Ca = await Api.Client.Tls.CaBootstrap.ResolveAsync(options.Server, options.Ca, cancellationToken) };
        }

        var client = CreateClient(options);
        var docker = options.RuntimeFactory?.Invoke(options) ?? new DockerRuntime(options.DockerEndpoint, options.DockerCallTimeout);
        LogServer? logs = null;
        try
        {
            logs = options.LogEndpoint ? await AgentEndpoints.StartServerAsync(options, docker, logger, cancellationToken) : null;
            var gate = new SemaphoreSlim(Math.Max(1, options.MaxParallelStarts));
            var ctx = new PodWorkerContext
            {
                Options = options,
                Client = client,
                Docker = docker,
                Volumes = new VolumeManager(options.DataDir),
                Events = new PodEventRecorder(client, options.NodeName, options.Time, logger),
                Probes = new ProbeRunner(docker, options.NodeIP),
                Logger = logger,
                StartGate = gate,
            };
            var pods = new PodManager(ctx);
            var node = new NodeAgent(options, client, docker, logger, pods.KickAll);
            await node.StartAsync(logs?.Port ?? 0, cancellationToken);
            pods.Start();
            var proxy = options.ServiceProxy ? await ServiceProxy.StartForAgentAsync(client, options, loggerFactory, cancellationToken) : null;
            AgentLog.Started(logger, options.NodeName, options.NodeIP, logs?.Port ?? 0);
            return new AgentHost(options, client, docker, logs, node, pods, gate, proxy);
        }
        catch
        {
            if (logs != null)
            {
                await logs.DisposeAsync();
            }

            docker.Dispose();
            client.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_proxy != null)
        {
            await _proxy.DisposeAsync();
        }

        await _pods.DisposeAsync();
        await _node.DisposeAsync();
        if (_logs != null)
        {
            await _logs.DisposeAsync();
        }

        if (Usage != null)
        {
            await Usage.DisposeAsync();
        }

        _docker.Dispose();
        _client.Dispose();
        _gate.Dispose();
    }
}
