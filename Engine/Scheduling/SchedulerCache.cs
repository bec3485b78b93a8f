using GitOrch.Api.Model;

namespace GitOrch.Engine.Scheduling;

/// <summary>
/// Nodes and where every Pod sits, kept incrementally from informer events plus the scheduler's own assumptions
/// (a Pod counts on its node from the moment it is chosen, before the binding is written, so the next Pod sees
/// the capacity already taken). All access goes through <see cref="Gate"/>.
/// </summary>
public sealed class SchedulerCache
{
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Placement> _placed = new(StringComparer.Ordinal);
    private readonly int _defaultMaxPods;
    private NodeInfo[]? _list;

    public SchedulerCache(int defaultMaxPods) => _defaultMaxPods = defaultMaxPods;

    public object Gate { get; } = new();

    /// <summary>Nodes in a stable order (by name), for the round-robin walk.</summary>
    public IReadOnlyList<NodeInfo> Nodes => _list ??= _nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();

    public int NodeCount => _nodes.Count;

    public NodeInfo? Node(string name) => _nodes.TryGetValue(name, out var n) ? n : null;

    /// <summary>Adds or refreshes a node; true if something scheduling depends on changed (worth retrying unschedulable Pods).</summary>
    public bool SetNode(Node node)
    {
        var name = node.Metadata.Name!;
        if (_nodes.TryGetValue(name, out var info))
        {
            var before = info.Signature;
            info.SetNode(node, _defaultMaxPods);
            return before != info.Signature;
        }

        info = new NodeInfo(node, _defaultMaxPods);
        _nodes[name] = info;
        _list = null;

        // Pods bound to this node before we saw the node itself.
        foreach (var p in _placed.Values.Where(p => p.Node == name))
        {
            info.AddPod(p.Pod);
        }

        return true;
    }

    public void RemoveNode(string name)
    {
        if (_nodes.Remove(name))
        {
            _list = null;
        }
    }

    public bool IsPlaced(string podKey) => _placed.ContainsKey(podKey);

    public int AssumedCount => _placed.Values.Count(p => p.Assumed);

    /// <summary>The scheduler chose <paramref name="node"/>: count the Pod there now.</summary>
    public void Assume(PodInfo pod, NodeInfo node)
    {
        _placed[pod.Key] = new Placement(pod, node.Name, Assumed: true);
        node.AddPod(pod);
    }

    /// <summary>The binding failed: give the capacity back.</summary>
    public void Forget(string podKey)
    {
        if (_placed.TryGetValue(podKey, out var p) && p.Assumed)
        {
            Remove(podKey);
        }
    }

    /// <summary>A bound, running Pod as the store has it (confirms an assumption, or accounts a Pod bound by someone else).</summary>
    public bool SetBoundPod(PodInfo pod, string nodeName)
    {
        if (_placed.TryGetValue(pod.Key, out var p))
        {
            if (p.Node == nodeName)
            {
                if (p.Assumed || p.Pod.CpuMilli != pod.CpuMilli || p.Pod.MemoryBytes != pod.MemoryBytes)
                {
                    Node(nodeName)?.RemovePod(pod.Key);
                    Node(nodeName)?.AddPod(pod);
                    _placed[pod.Key] = new Placement(pod, nodeName, Assumed: false);
                }

                return false;
            }

            Remove(pod.Key);
        }

        _placed[pod.Key] = new Placement(pod, nodeName, Assumed: false);
        Node(nodeName)?.AddPod(pod);
        return true;
    }

    /// <summary>A Pod was deleted or finished; true if it held capacity somewhere.</summary>
    public bool Remove(string podKey)
    {
        if (!_placed.Remove(podKey, out var p))
        {
            return false;
        }

        Node(p.Node)?.RemovePod(podKey);
        return true;
    }

    private sealed record Placement(PodInfo Pod, string Node, bool Assumed);
}
