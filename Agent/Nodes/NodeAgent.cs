using GitOrch.Agent.Runtime;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Nodes;

/// <summary>
/// Registers this node's Node object (capacity, labels, addresses, log endpoint) and renews its heartbeat. Each
/// beat also pings Docker: when the engine is unreachable the Node goes Ready=False with reason
/// ContainerRuntimeUnreachable (nothing is deleted); when it answers again the node is Ready and every Pod resyncs.
/// </summary>
public sealed class NodeAgent : IAsyncDisposable
{
    public const string RuntimeConditionType = "ContainerRuntimeReady";

    private readonly AgentOptions _options;
    private readonly GitOrchClient _client;
    private readonly IContainerRuntime _docker;
    private readonly ILogger _logger;
    private readonly Action _onRuntimeRecovered;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private bool? _runtimeUp;
    private string _runtimeVersion = "";
    private int _logPort;

    public NodeAgent(AgentOptions options, GitOrchClient client, IContainerRuntime docker, ILogger logger, Action onRuntimeRecovered)
    {
        _options = options;
        _client = client;
        _docker = docker;
        _logger = logger;
        _onRuntimeRecovered = onRuntimeRecovered;
    }

    /// <summary>Whether the last heartbeat reached Docker.</summary>
    public bool RuntimeUp => _runtimeUp == true;

    /// <summary>Creates or updates the Node, then beats in the background.</summary>
    public async Task StartAsync(int logPort, CancellationToken ct)
    {
        _logPort = logPort;
        await RegisterAsync(ct);
        await BeatAsync(ct);
        _loop = Task.Run(() => LoopAsync(_stop.Token), CancellationToken.None);
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        var labels = new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = _options.NodeName,
            ["kubernetes.io/os"] = HostResources.OperatingSystem,
            ["kubernetes.io/arch"] = HostResources.Architecture,
        };
        var existing = await _client.TryGetAsync<Node>(null, _options.NodeName, ct);
        if (existing == null)
        {
            try
            {
                await _client.CreateAsync(new Node { Metadata = new ObjectMeta { Name = _options.NodeName, Labels = labels }, Spec = new NodeSpec() }, ct);
                return;
            }
            catch (GitOrchApiException e) when (e.IsAlreadyExists)
            {
                existing = await _client.GetAsync<Node>(null, _options.NodeName, ct);
            }
        }

        // Keep labels others added (nodeSelector targets); ours win.
        existing.Metadata.Labels ??= [];
        var changed = false;
        foreach (var (k, v) in labels)
        {
            if (!existing.Metadata.Labels.TryGetValue(k, out var old) || old != v)
            {
                existing.Metadata.Labels[k] = v;
                changed = true;
            }
        }

        if (changed)
        {
            existing.Metadata.ResourceVersion = null;
            await _client.ReplaceAsync(existing, ct);
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.HeartbeatInterval, _options.Time, ct);
                await BeatAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is GitOrchApiException or HttpRequestException or IOException or TaskCanceledException)
            {
                AgentLog.HeartbeatFailed(_logger, _options.NodeName, e.Message);
            }
        }
    }

    /// <summary>One heartbeat: ping Docker, write the Node's status.</summary>
    public async Task BeatAsync(CancellationToken ct)
    {
        string? runtimeError = null;
        try
        {
            var info = await _docker.InfoAsync(ct);
            _runtimeVersion = "docker://" + info.ServerVersion;
        }
        catch (Exception e) when (e is DockerUnavailableException or Docker.DotNet.DockerApiException)
        {
            runtimeError = e.Message;
        }

        var up = runtimeError == null;
        if (_runtimeUp != up)
        {
            if (up && _runtimeUp == false)
            {
                AgentLog.RuntimeUp(_logger, _options.NodeName);
                _onRuntimeRecovered();
            }
            else if (!up)
            {
                AgentLog.RuntimeDown(_logger, _options.NodeName, runtimeError!);
            }
        }

        _runtimeUp = up;
        var now = _options.Time.GetUtcNow();
        var node = await _client.TryGetAsync<Node>(null, _options.NodeName, ct);
        if (node == null)
        {
            // Deleted by someone: register again, like kubelet.
            await RegisterAsync(ct);
            node = await _client.GetAsync<Node>(null, _options.NodeName, ct);
        }

        var old = node.Status?.Conditions ?? [];
        var capacity = new Dictionary<string, Quantity>
        {
            ["cpu"] = Quantity.FromMilli(HostResources.Cores * 1000L),
            ["memory"] = Quantity.FromBytes(HostResources.MemoryBytes / 1024 / 1024 * 1024 * 1024),
            ["pods"] = Quantity.FromMilli(HostResources.MaxPods * 1000L),
        };
        node.Status = new NodeStatus
        {
            Capacity = capacity,
            Allocatable = new Dictionary<string, Quantity>(capacity),
            Addresses =
            [
                new NodeAddress { Type = "InternalIP", Address = _options.NodeIP },
                new NodeAddress { Type = "Hostname", Address = _options.NodeName },
            ],
            DaemonEndpoints = new NodeDaemonEndpoints { KubeletEndpoint = new DaemonEndpoint { Port = _logPort } },
            NodeInfo = new NodeSystemInfo
            {
                Architecture = HostResources.Architecture,
                OperatingSystem = HostResources.OperatingSystem,
                KernelVersion = Environment.OSVersion.Version.ToString(),
                ContainerRuntimeVersion = _runtimeVersion,
                KubeletVersion = "gitorch-agent/" + (typeof(NodeAgent).Assembly.GetName().Version?.ToString() ?? "0"),
            },
            Conditions =
            [
                Condition(old, ConditionTypes.Ready, up, up ? "KubeletReady" : "ContainerRuntimeUnreachable",
                    up ? "gitorch agent is posting ready status" : "container runtime is down: " + runtimeError, now),
                Condition(old, RuntimeConditionType, up, up ? "DockerReachable" : "ContainerRuntimeUnreachable",
                    up ? _runtimeVersion : runtimeError, now),
            ],
        };
        node.Metadata.ResourceVersion = null;
        await _client.ReplaceStatusAsync(node, ct);
    }

    private static Condition Condition(List<Condition> old, string type, bool value, string reason, string? message, DateTimeOffset now)
    {
        var status = value ? ConditionStatus.True : ConditionStatus.False;
        var previous = old.FirstOrDefault(c => c.Type == type);
        return new Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastHeartbeatTime = now,
            LastTransitionTime = previous != null && previous.Status == status ? previous.LastTransitionTime ?? now : now,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
