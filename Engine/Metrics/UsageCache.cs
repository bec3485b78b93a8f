using System.Collections.Concurrent;
using GitOrch.Api.Metrics;
using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Metrics;

/// <summary>
/// The latest usage of every node and Pod, as the agents last reported it (metrics-server's in-memory store): what
/// <c>metrics.k8s.io</c> serves and the HorizontalPodAutoscaler reads. Samples of Pods the store does not know on that
/// node (deleted, another uid, bound elsewhere) are dropped on arrival; a node's Pods are replaced as a whole, so a
/// Pod that left the node leaves the cache with the next report.
/// </summary>
public sealed class UsageCache(IObjectStore store)
{
    private readonly IObjectStore _store = store;
    private readonly ConcurrentDictionary<string, NodeUsage> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<(string Ns, string Name), PodUsage>> _podsByNode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Ns, string Name), PodUsage> _pods = new();

    /// <summary>Samples dropped because their Pod is unknown on the reporting node (since start).</summary>
    public long DroppedSamples => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <summary>Takes one node's report; returns how many Pod samples were kept.</summary>
    public int Accept(string nodeName, UsageSummary summary)
    {
        summary.Node.NodeName = nodeName;
        _nodes[nodeName] = summary.Node;
        var kept = new Dictionary<(string, string), PodUsage>();
        foreach (var pod in summary.Pods)
        {
            var live = _store.Get<Pod>(pod.Namespace, pod.Name);
            if (live == null || live.Metadata.Uid != pod.Uid || live.Spec?.NodeName != nodeName)
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            kept[(pod.Namespace, pod.Name)] = pod;
        }

        var previous = _podsByNode.TryGetValue(nodeName, out var p) ? p : null;
        _podsByNode[nodeName] = kept;
        foreach (var (key, value) in kept)
        {
            _pods[key] = value;
        }

        foreach (var key in previous?.Keys.Where(k => !kept.ContainsKey(k)) ?? [])
        {
            _pods.TryRemove(key, out _);
        }

        return kept.Count;
    }

    /// <summary>Forgets a node (deleted, or its agent stopped answering for long).</summary>
    public void Forget(string nodeName)
    {
        _nodes.TryRemove(nodeName, out _);
        if (_podsByNode.TryRemove(nodeName, out var pods))
        {
            foreach (var key in pods.Keys)
            {
                _pods.TryRemove(key, out _);
            }
        }
    }

    public NodeUsage? Node(string name) => _nodes.TryGetValue(name, out var n) ? n : null;

    public IReadOnlyCollection<NodeUsage> Nodes => _nodes.Values.ToList();

    public PodUsage? Pod(string ns, string name) => _pods.TryGetValue((ns, name), out var p) ? p : null;

    /// <summary>The Pods with usage, in one namespace or (null) all.</summary>
    public IReadOnlyList<PodUsage> Pods(string? ns) => _pods.Values.Where(p => ns == null || p.Namespace == ns).ToList();
}
