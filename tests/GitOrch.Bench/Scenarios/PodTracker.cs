using System.Diagnostics;
using GitOrch.Api.Client;
using GitOrch.Api.Model;

namespace GitOrch.Bench.Scenarios;

/// <summary>Follows the default namespace's Pods through one API watch: when all were seen, bound and Running.</summary>
internal sealed class PodTracker(int expected)
{
    private readonly Dictionary<string, (string? Node, bool Running)> _pods = new(StringComparer.Ordinal);
    private readonly List<string> _names = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TaskCompletionSource _allRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Seen { get; private set; }
    public int Bound { get; private set; }
    public int Running { get; private set; }
    public TimeSpan AllSeenAt { get; private set; }
    public TimeSpan AllBoundAt { get; private set; }
    public TimeSpan AllRunningAt { get; private set; }
    public Task AllRunning => _allRunning.Task;

    public int PerNodeMin
    {
        get
        {
            lock (_pods)
            {
                return _pods.Values.GroupBy(p => p.Node).Select(g => g.Count()).DefaultIfEmpty().Min();
            }
        }
    }

    public int PerNodeMax
    {
        get
        {
            lock (_pods)
            {
                return _pods.Values.GroupBy(p => p.Node).Select(g => g.Count()).DefaultIfEmpty().Max();
            }
        }
    }

    /// <summary>Times count from now.</summary>
    public void Restart() => _clock.Restart();

    public string? RandomName(Random random)
    {
        lock (_pods)
        {
            return _names.Count == 0 ? null : _names[random.Next(_names.Count)];
        }
    }

    public async Task WatchAsync(GitOrchClient client, CancellationToken ct)
    {
        var list = await client.ListAsync<Pod>("default", cancellationToken: ct);
        foreach (var p in list.Items)
        {
            Apply("ADDED", p);
        }

        try
        {
            await foreach (var ev in client.WatchAsync<Pod>("default", list.Metadata?.ResourceVersion, cancellationToken: ct))
            {
                if (ev.Object != null)
                {
                    Apply(ev.Type, ev.Object);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Apply(string type, Pod pod)
    {
        lock (_pods)
        {
            if (_pods.TryGetValue(pod.Name, out var old))
            {
                Bound -= string.IsNullOrEmpty(old.Node) ? 0 : 1;
                Running -= old.Running ? 1 : 0;
            }
            else if (type != "DELETED")
            {
                _names.Add(pod.Name);
            }

            if (type == "DELETED")
            {
                _pods.Remove(pod.Name);
            }
            else
            {
                var now = (pod.Spec?.NodeName, pod.Status?.Phase == "Running" && pod.Status.ContainerStatuses?.All(c => c.State?.Running != null) == true);
                _pods[pod.Name] = now;
                Bound += string.IsNullOrEmpty(now.NodeName) ? 0 : 1;
                Running += now.Item2 ? 1 : 0;
            }

            Seen = _pods.Count;
            if (AllSeenAt == default && Seen >= expected)
            {
                AllSeenAt = _clock.Elapsed;
            }

            if (AllBoundAt == default && Bound >= expected)
            {
                AllBoundAt = _clock.Elapsed;
            }

            if (AllRunningAt == default && Running >= expected)
            {
                AllRunningAt = _clock.Elapsed;
                _allRunning.TrySetResult();
            }
        }
    }
}
