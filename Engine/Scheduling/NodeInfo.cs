using GitOrch.Api.Model;

namespace GitOrch.Engine.Scheduling;

/// <summary>
/// A node and what is already placed on it, updated incrementally as Pods are assumed, bound and deleted, so a filter
/// reads sums instead of rescanning Pods.
/// </summary>
public sealed class NodeInfo
{
    private readonly Dictionary<string, PodInfo> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _owners = new(StringComparer.Ordinal);
    private readonly List<HostPort> _ports = new();
    private readonly List<PodInfo> _antiAffinityPods = new();

    public NodeInfo(Node node, int defaultMaxPods) => SetNode(node, defaultMaxPods);

    public Node Node { get; private set; } = null!;

    public string Name => Node.Metadata.Name!;

    public long AllocatableCpuMilli { get; private set; }

    public long AllocatableMemoryBytes { get; private set; }

    public int AllocatablePods { get; private set; }

    public bool Ready { get; private set; }

    public bool Unschedulable { get; private set; }

    public long RequestedCpuMilli { get; private set; }

    public long RequestedMemoryBytes { get; private set; }

    /// <summary>Requests with the scoring defaults for Pods that ask for nothing (see <see cref="PodInfo.ScoreCpuMilli"/>).</summary>
    public long ScoreCpuMilli { get; private set; }

    public long ScoreMemoryBytes { get; private set; }

    public int PodCount => _pods.Count;

    public IReadOnlyCollection<PodInfo> Pods => _pods.Values;

    public IReadOnlyList<HostPort> UsedPorts => _ports;

    /// <summary>The node's Pods that carry required anti-affinity terms, which every incoming Pod must also respect.</summary>
    public IReadOnlyList<PodInfo> AntiAffinityPods => _antiAffinityPods;

    /// <summary>What scheduling depends on (allocatable, labels, taints, readiness, cordon); heartbeats alone do not change it.</summary>
    public string Signature { get; private set; } = "";

    public void SetNode(Node node, int defaultMaxPods)
    {
        Node = node;
        var alloc = node.Status?.Allocatable ?? node.Status?.Capacity;
        AllocatableCpuMilli = alloc != null && alloc.TryGetValue("cpu", out var cpu) ? cpu.Milli : 0;
        AllocatableMemoryBytes = alloc != null && alloc.TryGetValue("memory", out var mem) ? (long)mem.Value : 0;
        AllocatablePods = alloc != null && alloc.TryGetValue("pods", out var pods) ? (int)pods.Value : defaultMaxPods;
        Ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == ConditionStatus.True;
        Unschedulable = node.Spec?.Unschedulable == true;
        var labels = node.Metadata.Labels == null ? "" : string.Join(",", node.Metadata.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        var taints = node.Spec?.Taints == null ? "" : string.Join(",", node.Spec.Taints.Select(t => t.Key + "=" + t.Value + ":" + t.Effect));
        Signature = $"{AllocatableCpuMilli}|{AllocatableMemoryBytes}|{AllocatablePods}|{Ready}|{Unschedulable}|{labels}|{taints}";
    }

    public int OwnerCount(string ownerUid) => _owners.TryGetValue(ownerUid, out var n) ? n : 0;

    public bool Contains(string podKey) => _pods.ContainsKey(podKey);

    public void AddPod(PodInfo pod)
    {
        if (!_pods.TryAdd(pod.Key, pod))
        {
            return;
        }

        RequestedCpuMilli += pod.CpuMilli;
        RequestedMemoryBytes += pod.MemoryBytes;
        ScoreCpuMilli += pod.ScoreCpuMilli;
        ScoreMemoryBytes += pod.ScoreMemoryBytes;
        if (pod.OwnerUid != null)
        {
            _owners[pod.OwnerUid] = OwnerCount(pod.OwnerUid) + 1;
        }

        if (pod.HostPorts != null)
        {
            _ports.AddRange(pod.HostPorts);
        }

        if (pod.AntiAffinity != null)
        {
            _antiAffinityPods.Add(pod);
        }
    }

    public void RemovePod(string podKey)
    {
        if (!_pods.Remove(podKey, out var pod))
        {
            return;
        }

        RequestedCpuMilli -= pod.CpuMilli;
        RequestedMemoryBytes -= pod.MemoryBytes;
        ScoreCpuMilli -= pod.ScoreCpuMilli;
        ScoreMemoryBytes -= pod.ScoreMemoryBytes;
        if (pod.OwnerUid != null)
        {
            var n = OwnerCount(pod.OwnerUid) - 1;
            if (n <= 0)
            {
                _owners.Remove(pod.OwnerUid);
            }
            else
            {
                _owners[pod.OwnerUid] = n;
            }
        }

        if (pod.HostPorts != null)
        {
            foreach (var p in pod.HostPorts)
            {
                _ports.Remove(p);
            }
        }

        if (pod.AntiAffinity != null)
        {
            _antiAffinityPods.Remove(pod);
        }
    }
}
