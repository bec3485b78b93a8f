using System.Threading.Channels;
using Docker.DotNet;
using GitOrch.Agent.Network;
using GitOrch.Agent.Network.Cni;
using GitOrch.Agent.Probes;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Pods;

/// <summary>
/// Owns one Pod on this node. Level-triggered: every sync reads the Pod and its Docker containers afresh and moves
/// them one step toward the spec (start what is missing, restart what exited per restartPolicy with back-off,
/// kill what failed liveness), then writes the status if it changed. Syncs are triggered by Pod changes, Docker
/// events, probe flips, back-off expiry and the periodic resync; they never run concurrently for one Pod.
/// </summary>
public sealed partial class PodWorker : IAsyncDisposable
{
    private readonly PodWorkerContext _ctx;
    private readonly Channel<bool> _kick = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, ContainerWaiting> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Failures, DateTimeOffset Until)> _pullBackoff = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContainerProbes> _probes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _exitSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _reportedErrors = new(StringComparer.Ordinal);

    /// <summary>Containers found created-but-never-started that this worker tried to start once (a second failure is a crash).</summary>
    private readonly HashSet<string> _leftoversStarted = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private Pod _pod;
    private volatile bool _deleted;
    private string? _lastStatusJson;

    /// <summary>The Pod's sandbox as of the last sync (null: host network, or not set up yet).</summary>
    private PodSandboxInfo? _sandbox;
    private string? _sandboxError;

    public PodWorker(PodWorkerContext ctx, Pod pod)
    {
        _ctx = ctx;
        _pod = pod;
        Uid = pod.Metadata.Uid ?? throw new ArgumentException("pod without uid", nameof(pod));
        _kick.Writer.TryWrite(true);
        _loop = Task.Run(() => LoopAsync(_stop.Token));
    }

    public string Uid { get; }

    public string Key => $"{_pod.Namespace}/{_pod.Name}";

    /// <summary>Completes when a deleted Pod's containers are gone.</summary>
    public Task Completion => _loop;

    public bool IsDeleted => _deleted;

    public void Update(Pod pod)
    {
        var old = Volatile.Read(ref _pod);
        Volatile.Write(ref _pod, pod);

        // Our own status writes come back as MODIFIED events; only spec/deletion changes need a sync.
        if (old.Metadata.Generation != pod.Metadata.Generation || old.Metadata.DeletionTimestamp != pod.Metadata.DeletionTimestamp)
        {
            Kick();
        }
    }

    public void MarkDeleted()
    {
        _deleted = true;
        Kick();
    }

    public void Kick() => _kick.Writer.TryWrite(true);

    private async Task LoopAsync(CancellationToken ct)
    {
        var resync = _ctx.Options.ResyncInterval;
        while (!ct.IsCancellationRequested)
        {
            DateTimeOffset? wake;
            try
            {
                await _kick.Reader.ReadAsync(ct);
                var pod = Volatile.Read(ref _pod);
                if (_deleted || pod.Metadata.DeletionTimestamp != null)
                {
                    await TeardownAsync(pod, ct);
                    if (_deleted)
                    {
                        return;
                    }

                    wake = null;
                }
                else
                {
                    wake = await SyncAsync(pod, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (DockerUnavailableException e)
            {
                // Docker is down: change nothing (the node reports Ready=False) and look again soon.
                AgentLog.DockerUnavailable(_ctx.Logger, Key, e.Message);
                wake = _ctx.Time.GetUtcNow() + TimeSpan.FromSeconds(2);
            }
            catch (Exception e) when (e is GitOrchApiException or HttpRequestException or DockerApiException or IOException or TaskCanceledException)
            {
                AgentLog.SyncFailed(_ctx.Logger, Key, e.Message);
                wake = _ctx.Time.GetUtcNow() + TimeSpan.FromSeconds(2);
            }

            var now = _ctx.Time.GetUtcNow();
            var delay = wake is { } w ? w - now : resync;
            if (delay > resync)
            {
                delay = resync;
            }

            if (delay <= TimeSpan.Zero)
            {
                Kick();
                continue;
            }

            _ = ScheduleKickAsync(delay, ct);
        }
    }

    private async Task ScheduleKickAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _ctx.Time, ct);
            Kick();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<DateTimeOffset?> SyncAsync(Pod pod, CancellationToken ct)
    {
        var spec = pod.Spec ?? new PodSpec();
        var (instances, sandboxes) = await ListAsync(ct);
        var now = _ctx.Time.GetUtcNow();

        // A finished Pod stays finished: nothing restarts, and its last status stands.
        if (PodPhases.IsTerminal(pod.Status?.Phase) && _lastStatusJson == null && instances.All(i => i.Exited))
        {
            return null;
        }

        // The sandbox (network namespace) comes before any container, as kubelet's RunPodSandbox does.
        if (UsesPodNetwork(spec) && !await EnsureSandboxAsync(pod, instances, sandboxes, ct))
        {
            await WriteStatusAsync(pod, instances, initDone: (spec.InitContainers ?? []).Count == 0, initFailed: false, ct);
            return now + TimeSpan.FromSeconds(5);
        }

        var resources = new PodResources(_ctx.Client, pod.Namespace ?? "default");
        string? volumeError = null;
        Dictionary<string, string> volumePaths = [];
        try
        {
            volumePaths = await _ctx.Volumes.PrepareAsync(pod, resources, ct);
        }
        catch (ContainerConfigException e)
        {
            volumeError = e.Message;
        }

        DateTimeOffset? wake = null;
        var restartPolicy = spec.RestartPolicy ?? "Always";

        // Init containers: in order, each to completion, before any app container.
        var initDone = true;
        var initFailed = false;
        foreach (var init in spec.InitContainers ?? [])
        {
            var list = Of(instances, true, init.Name);
            var latest = list.LastOrDefault();
            if (latest is { Exited: true, ExitCode: 0, NeverStarted: false })
            {
                _waiting.Remove(PodStatusBuilder.Key(true, init.Name));
                continue;
            }

            initDone = false;
            if (latest is { Exited: true } && restartPolicy == "Never")
            {
                initFailed = true;
                break;
            }

            // Kubernetes restarts failed init containers unless restartPolicy is Never.
            wake = Min(wake, await EnsureContainerAsync(pod, init, true, list, "OnFailure", resources, volumePaths, volumeError, now, ct));
            break;
        }

        if (initDone)
        {
            foreach (var c in spec.Containers)
            {
                wake = Min(wake, await EnsureContainerAsync(pod, c, false, Of(instances, false, c.Name), restartPolicy, resources, volumePaths, volumeError, now, ct));
            }
        }

        await UpdateProbesAsync(pod, instances, ct);
        await RemoveStaleInstancesAsync(instances, ct);

        // Containers started in this sync change the picture: read Docker again before reporting.
        if (wake != null && wake <= now)
        {
            (instances, _) = await ListAsync(ct);
            wake = null;
        }

        await WriteStatusAsync(pod, instances, initDone, initFailed, ct);
        return wake;
    }

    private async Task UpdateProbesAsync(Pod pod, List<ContainerInstance> instances, CancellationToken ct)
    {
        foreach (var c in pod.Spec?.Containers ?? [])
        {
            var latest = Of(instances, false, c.Name).LastOrDefault();
            _probes.TryGetValue(c.Name, out var probes);
            if (latest is not { Running: true } || (probes != null && probes.ContainerId != latest.Id))
            {
                if (probes != null)
                {
                    _probes.Remove(c.Name);
                    await probes.DisposeAsync();
                    probes = null;
                }
            }

            if (latest is not { Running: true })
            {
                continue;
            }

            if (probes == null && (c.LivenessProbe != null || c.ReadinessProbe != null || c.StartupProbe != null))
            {
                probes = new ContainerProbes(c, latest.Id, _sandbox == null ? _ctx.Probes : _ctx.Probes.ForHost(_sandbox.IP), _ctx.Time, Kick);
                _probes[c.Name] = probes;
            }

            if (probes is { LivenessFailed: true })
            {
                var which = probes.StartupFailed ? "Startup" : "Liveness";
                await _ctx.Events.RecordAsync(pod, c.Name, PodEventRecorder.Warning, "Unhealthy", $"{which} probe failed", ct);
                await _ctx.Events.RecordAsync(pod, c.Name, PodEventRecorder.Normal, "Killing", $"Container {c.Name} failed {which.ToLowerInvariant()} probe, will be restarted", ct);
                _probes.Remove(c.Name);
                await probes.DisposeAsync();
                await _ctx.Docker.StopAsync(latest.Id, GracePeriod(pod), ct);
                Kick();
            }
        }
    }

    private (bool Ready, bool Started)? ProbeState(string containerId)
    {
        var probes = _probes.Values.FirstOrDefault(p => p.ContainerId == containerId);
        return probes == null ? null : (probes.Ready, probes.Started);
    }

    private async Task WriteStatusAsync(Pod pod, List<ContainerInstance> instances, bool initDone, bool initFailed, CancellationToken ct)
    {
        var status = PodStatusBuilder.Build(new PodStatusBuilder.Input
        {
            Pod = pod,
            Instances = instances,
            Waiting = _waiting,
            Probes = ProbeState,
            NodeIP = _ctx.NodeIP,
            PodIP = UsesPodNetwork(pod.Spec ?? new PodSpec()) ? _sandbox?.IP : _ctx.NodeIP,
            Now = _ctx.Time.GetUtcNow(),
            InitDone = initDone,
            InitFailed = initFailed,
        });
        var json = KubeJson.Serialize(status, typeof(PodStatus));
        if (json == _lastStatusJson || json == (pod.Status == null ? null : KubeJson.Serialize(pod.Status, typeof(PodStatus))))
        {
            _lastStatusJson = json;
            return;
        }

        var update = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta { Name = pod.Name, Namespace = pod.Namespace, Uid = pod.Metadata.Uid },
            Spec = pod.Spec,
            Status = status,
        };
        try
        {
            var written = await _ctx.Client.ReplaceStatusAsync(update, ct);
            _lastStatusJson = json;
            var current = Volatile.Read(ref _pod);
            if (current.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
            {
                // Keep conditions' transition times for the next build even before the watch echoes this write.
                Volatile.Write(ref _pod, written);
            }
        }
        catch (GitOrchApiException e) when (e.IsNotFound)
        {
            MarkDeleted();
        }
    }

    private async Task RemoveStaleInstancesAsync(List<ContainerInstance> instances, CancellationToken ct)
    {
        // Keep the latest and the previous instance of each container (for log?previous=true), remove older ones.
        foreach (var group in instances.GroupBy(i => (i.IsInit, i.ContainerName)))
        {
            foreach (var stale in group.OrderByDescending(i => i.Attempt).Skip(2).Where(i => i.Exited))
            {
                await _ctx.Docker.RemoveAsync(stale.Id, ct);
                _exitSeen.Remove(stale.Id);
            }
        }
    }

    private async Task TeardownAsync(Pod pod, CancellationToken ct)
    {
        foreach (var p in _probes.Values)
        {
            await p.DisposeAsync();
        }

        _probes.Clear();
        var all = await _ctx.Docker.ListAsync(_ctx.NodeName, Uid, ct);
        var sandboxes = all.Where(c => c.Labels?.TryGetValue(AgentLabels.ContainerKind, out var k) == true && k == AgentLabels.SandboxKind).ToList();
        var grace = GracePeriod(pod);
        await Task.WhenAll(all.Except(sandboxes).Select(async c =>
        {
            if (c.State == "running")
            {
                await _ctx.Docker.StopAsync(c.ID, grace, ct);
            }

            await _ctx.Docker.RemoveAsync(c.ID, ct);
        }));

        // The namespace goes last, with CNI DEL, so the address returns to the pool once nothing uses it.
        if (sandboxes.Count > 0)
        {
            if (_ctx.Network != null)
            {
                await _ctx.Network.TeardownAsync(pod, Uid, sandboxes.Select(c => c.ID), ct);
            }
            else
            {
                await Task.WhenAll(sandboxes.Select(c => _ctx.Docker.RemoveAsync(c.ID, ct)));
            }
        }

        _sandbox = null;
        if (_deleted)
        {
            _ctx.Volumes.Remove(Uid);
        }
    }

    private bool UsesPodNetwork(PodSpec spec) => _ctx.Network != null && spec.HostNetwork != true;

    private async Task<(List<ContainerInstance> Containers, List<ContainerInstance> Sandboxes)> ListAsync(CancellationToken ct)
    {
        var all = await _ctx.Docker.ListPodAsync(_ctx.NodeName, Uid, ct);
        return (all.Where(i => !i.IsSandbox).ToList(), all.Where(i => i.IsSandbox).ToList());
    }

    /// <summary>
    /// Makes sure the Pod's sandbox runs with its network. On failure every container waits in ContainerCreating
    /// with the plugin's message, one FailedCreatePodSandBox event per distinct message, and the sync retries.
    /// A new sandbox replaces a dead one: containers of the old namespace are removed to start again inside it.
    /// </summary>
    private async Task<bool> EnsureSandboxAsync(Pod pod, List<ContainerInstance> instances, List<ContainerInstance> sandboxes, CancellationToken ct)
    {
        try
        {
            _sandbox = await _ctx.Network!.EnsureAsync(pod, sandboxes, ct);
            _sandboxError = null;
        }
        catch (CniException e)
        {
            _sandbox = null;
            foreach (var c in pod.Spec?.Containers ?? [])
            {
                _waiting[PodStatusBuilder.Key(false, c.Name)] = new ContainerWaiting("ContainerCreating", e.Message);
            }

            if (_sandboxError != e.Message)
            {
                _sandboxError = e.Message;
                await _ctx.Events.RecordAsync(pod, null, PodEventRecorder.Warning, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + e.Message, ct);
            }

            return false;
        }

        if (_sandbox.Fresh)
        {
            foreach (var old in instances.Where(i => i.Running))
            {
                await _ctx.Docker.StopAsync(old.Id, TimeSpan.Zero, ct);
            }
        }

        foreach (var c in pod.Spec?.Containers ?? [])
        {
            if (_waiting.TryGetValue(PodStatusBuilder.Key(false, c.Name), out var w) && w.Reason == "ContainerCreating")
            {
                _waiting.Remove(PodStatusBuilder.Key(false, c.Name));
            }
        }

        return true;
    }

    private static TimeSpan GracePeriod(Pod pod)
        => TimeSpan.FromSeconds(Math.Max(0, pod.Spec?.TerminationGracePeriodSeconds ?? 30));

    private static List<ContainerInstance> Of(List<ContainerInstance> instances, bool isInit, string name)
        => instances.Where(i => i.IsInit == isInit && i.ContainerName == name).OrderBy(i => i.Attempt).ToList();

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b)
        => a == null ? b : b == null ? a : a < b ? a : b;

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

        foreach (var p in _probes.Values)
        {
            await p.DisposeAsync();
        }

        _probes.Clear();
        _stop.Dispose();
    }
}
