using GitOrch.Api.Metrics;
using GitOrch.Agent.Runtime;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Metrics;

/// <summary>
/// Samples CPU and memory of this node and of every running container labelled with it, every
/// <see cref="AgentOptions.UsageSampleInterval"/> (cAdvisor's role). CPU is the change of the cumulative counter over
/// the wall time between two samples; a container shows up from its second sample on. One Docker list per sample finds
/// the containers (by the agent's labels, whatever their network); a new container costs one inspect for its init pid,
/// whose cgroup files are then read directly.
/// </summary>
public sealed partial class UsageCollector : IAsyncDisposable
{
    private readonly IContainerRuntime _docker;
    private readonly AgentOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Tracked> _containers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private (long Cpu, long At)? _node;
    private Task? _loop;
    private volatile UsageSummary _latest;

    public UsageCollector(IContainerRuntime docker, AgentOptions options, ILogger logger)
    {
        _docker = docker;
        _options = options;
        _logger = logger;
        _latest = new UsageSummary { Node = new NodeUsage { NodeName = options.NodeName } };
    }

    /// <summary>The last complete sample (empty until two samples were taken).</summary>
    public UsageSummary Latest => _latest;

    /// <summary>Containers whose cgroup files are being read.</summary>
    public int TrackedContainers => _containers.Count;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.UsageSampleInterval, _options.Time);
        do
        {
            try
            {
                await SampleOnceAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DockerUnavailableException or Docker.DotNet.DockerApiException or IOException)
            {
                Log.SampleFailed(_logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    /// <summary>Takes one sample and publishes it as <see cref="Latest"/>. Not concurrent with itself.</summary>
    public async Task SampleOnceAsync(CancellationToken ct)
    {
        var list = await _docker.ListAsync(_options.NodeName, null, ct).ConfigureAwait(false);
        var now = _options.Time.GetUtcNow();
        var ticks = _options.Time.GetTimestamp();
        var running = new HashSet<string>(StringComparer.Ordinal);
        var pods = new Dictionary<string, PodUsage>(StringComparer.Ordinal);
        foreach (var c in list)
        {
            if (c.State != "running" || c.Labels == null || !c.Labels.TryGetValue(AgentLabels.PodUid, out var uid) || !c.Labels.ContainsKey(AgentLabels.ContainerName))
            {
                continue;
            }

            running.Add(c.ID);
            var tracked = _containers.TryGetValue(c.ID, out var t) ? t : await TrackAsync(c.ID, c.Labels, ct).ConfigureAwait(false);
            if (tracked == null)
            {
                continue;
            }

            var sample = Sample(tracked, ticks);
            if (sample is { } s)
            {
                var pod = pods.TryGetValue(uid, out var p) ? p : pods[uid] = new PodUsage
                {
                    Namespace = tracked.Namespace, Name = tracked.Pod, Uid = uid, Timestamp = now, WindowSeconds = s.Window,
                };
                pod.Containers.Add(new ContainerUsage { Name = tracked.Container, CpuNanoCores = s.NanoCores, MemoryWorkingSetBytes = s.WorkingSet });
            }
        }

        foreach (var gone in _containers.Keys.Where(k => !running.Contains(k)).ToList())
        {
            _containers.Remove(gone);
        }

        _latest = new UsageSummary { Node = SampleNode(now, ticks), Pods = pods.Values.ToList() };
    }

    private async Task<Tracked?> TrackAsync(string id, IDictionary<string, string> labels, CancellationToken ct)
    {
        var inspect = await _docker.InspectAsync(id, ct).ConfigureAwait(false);
        var pid = (int)(inspect?.State?.Pid ?? 0);
        var files = pid > 0 ? CgroupFiles.ForPid(pid) : null;
        if (files == null)
        {
            Log.NoCgroup(_logger, id, pid);
            return null;
        }

        var tracked = new Tracked(files, labels.TryGetValue(AgentLabels.PodNamespace, out var ns) ? ns : "", labels.TryGetValue(AgentLabels.PodName, out var pod) ? pod : "", labels[AgentLabels.ContainerName]);
        _containers[id] = tracked;
        return tracked;
    }

    private (long NanoCores, long WorkingSet, double Window)? Sample(Tracked tracked, long ticks)
    {
        long cpu, memory;
        try
        {
            cpu = tracked.Files.ReadCpuNanoseconds();
            memory = tracked.Files.ReadWorkingSetBytes();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // The container stopped between the list and the read: its cgroup went away.
            return null;
        }

        var previous = tracked.Last;
        tracked.Last = (cpu, ticks);
        if (previous is not { } p)
        {
            return null;
        }

        var seconds = _options.Time.GetElapsedTime(p.At, ticks).TotalSeconds;
        return seconds <= 0 ? null : ((long)(Math.Max(0, cpu - p.Cpu) / seconds), memory, seconds);
    }

    private NodeUsage SampleNode(DateTimeOffset now, long ticks)
    {
        var cpu = NodeStats.ReadCpuNanoseconds();
        var previous = _node;
        _node = (cpu, ticks);
        var seconds = previous is { } p ? _options.Time.GetElapsedTime(p.At, ticks).TotalSeconds : 0;
        return new NodeUsage
        {
            NodeName = _options.NodeName,
            Timestamp = now,
            WindowSeconds = seconds,
            CpuNanoCores = previous is { } q && seconds > 0 ? (long)(Math.Max(0, cpu - q.Cpu) / seconds) : 0,
            MemoryWorkingSetBytes = NodeStats.ReadWorkingSetBytes(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop != null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    /// <summary>A container being sampled: where its counters are and the previous CPU reading.</summary>
    private sealed class Tracked(CgroupFiles files, string ns, string pod, string container)
    {
        public CgroupFiles Files { get; } = files;
        public string Namespace { get; } = ns;
        public string Pod { get; } = pod;
        public string Container { get; } = container;
        public (long Cpu, long At)? Last { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Usage sample failed: {Reason}")]
        public static partial void SampleFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "No cgroup files found for container {Id} (pid {Pid}); it is not measured")]
        public static partial void NoCgroup(ILogger logger, string id, int pid);
    }
}
