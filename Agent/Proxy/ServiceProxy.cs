using System.Threading.Channels;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GitOrch.Agent.Proxy;

/// <summary>
/// The agent's Service proxy (GitOrch's kube-proxy): a userspace TCP load balancer. It watches Services and Endpoints
/// through the HTTP API and, for every Service port, listens on the proxy address at the Service's port (GitOrch has
/// no virtual IPs: that address is how Pods on this node reach a Service) and, for NodePort Services, on the node's
/// address at the nodePort. Connections go round-robin to the ready endpoints; a refused connect tries the next one;
/// endpoint changes never drop open connections; a Service with no ready endpoint refuses connections at once.
/// <code>
/// var proxy = new ServiceProxy(client, new ServiceProxyOptions { NodeName = "node-1", NodeAddress = ip, ProxyAddress = proxyIp }, logger);
/// await proxy.StartAsync(ct);   // returns once listening is under way
/// ...
/// await proxy.DisposeAsync();   // closes listeners and resets open connections
/// </code>
/// </summary>
public sealed partial class ServiceProxy : IAsyncDisposable
{
    private readonly ServiceProxyOptions _options;
    private readonly ServiceWatcher? _watcher;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ILogger _logger;
    private CancellationTokenSource? _cts;
    private Task _running = Task.CompletedTask;

    public ServiceProxy(GitOrchClient client, ServiceProxyOptions options, ILogger<ServiceProxy>? logger = null)
        : this(options, logger)
    {
        _watcher = new ServiceWatcher(client, options, _logger);
        _watcher.Changed += () => _dirty.Writer.TryWrite(true);
    }

    /// <summary>A proxy fed by <see cref="Apply"/> instead of a watch (tests, benchmarks).</summary>
    internal ServiceProxy(ServiceProxyOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        Table = new ProxyTable(options, _logger);
    }

    internal ProxyTable Table { get; }

    /// <summary>The agent's hook: a proxy on the agent's node address (NodePorts) and proxy address (Service ports), started.</summary>
    public static async Task<ServiceProxy> StartForAgentAsync(GitOrchClient client, AgentOptions agent, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var proxy = new ServiceProxy(client, new ServiceProxyOptions
        {
            NodeName = agent.NodeName,
            NodeAddress = Address(agent.NodeIP, "node address"),
            ProxyAddress = string.IsNullOrEmpty(agent.ProxyAddress) ? null : Address(agent.ProxyAddress, "proxy address"),
        }, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ServiceProxy>());
        await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
        return proxy;
    }

    private static System.Net.IPAddress Address(string text, string what)
        => System.Net.IPAddress.TryParse(text, out var ip) ? ip : throw new ArgumentException($"the {what} \"{text}\" is not an IP address");

    /// <summary>Routes that could not be configured because another Service holds their address and port.</summary>
    public IReadOnlyList<string> Conflicts { get; private set; } = Array.Empty<string>();

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = _cts.Token;
        var tasks = new List<Task> { Task.Run(() => ApplyLoopAsync(ct), CancellationToken.None), Task.Run(() => RebindLoopAsync(ct), CancellationToken.None) };
        if (_watcher != null)
        {
            tasks.Add(Task.Run(() => _watcher.RunAsync(ct), CancellationToken.None));
        }

        _running = Task.WhenAll(tasks);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (_cts == null)
        {
            Table.Dispose();
            return;
        }

        await _cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Table.Dispose();
        _cts.Dispose();
        _cts = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Moves the proxy to what these Services and Endpoints ask for (what the watch does on every change).</summary>
    internal void Apply(IEnumerable<Service> services, IEnumerable<Endpoints> endpoints)
        => Apply(services, endpoints.ToDictionary(e => e.Metadata.Namespace + "/" + e.Metadata.Name, StringComparer.Ordinal));

    private void Apply(IEnumerable<Service> services, IReadOnlyDictionary<string, Endpoints> endpoints)
    {
        var (routes, conflicts) = ProxyRules.Compute(services, endpoints, _options.EffectiveProxyAddress, _options.NodeAddress);
        foreach (var c in conflicts.Except(Conflicts))
        {
            Log.PortConflict(_logger, c);
        }

        Conflicts = conflicts;
        Table.Apply(routes);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4121, Level = LogLevel.Warning, Message = "Service port conflict: {Conflict}. GitOrch has no virtual IPs: Services share the proxy address, so each needs its own port")]
        public static partial void PortConflict(ILogger logger, string conflict);
    }

    private async Task ApplyLoopAsync(CancellationToken ct)
    {
        try
        {
            while (await _dirty.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                _dirty.Reader.TryRead(out _);
                if (_watcher != null)
                {
                    var (services, endpoints) = _watcher.Snapshot();
                    Apply(services, endpoints);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RebindLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.RebindInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                Table.RetryUnbound();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
