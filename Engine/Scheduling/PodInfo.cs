using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Runtime;

namespace GitOrch.Engine.Scheduling;

/// <summary>What the scheduler needs of a Pod, computed once per Pod rather than once per node checked.</summary>
public sealed class PodInfo
{
    public PodInfo(Pod pod)
    {
        Pod = pod;
        Key = ObjectKey.Of(pod).ToString();
        var spec = pod.Spec ?? new PodSpec();
        foreach (var c in spec.Containers)
        {
            CpuMilli += Request(c, "cpu", q => q.Milli);
            MemoryBytes += Request(c, "memory", q => (long)q.Value);
            foreach (var p in c.Ports ?? Enumerable.Empty<ContainerPortSpec>())
            {
                if (p.HostPort is > 0)
                {
                    (HostPorts ??= new List<HostPort>()).Add(new HostPort(p.HostPort.Value, p.Protocol ?? "TCP", string.IsNullOrEmpty(p.HostIP) ? "0.0.0.0" : p.HostIP!));
                }
            }
        }

        // Init containers run one at a time before the app containers: the Pod needs the largest of them, not the sum.
        foreach (var c in spec.InitContainers ?? Enumerable.Empty<Container>())
        {
            CpuMilli = Math.Max(CpuMilli, Request(c, "cpu", q => q.Milli));
            MemoryBytes = Math.Max(MemoryBytes, Request(c, "memory", q => (long)q.Value));
        }

        // For scoring only, a Pod without requests counts as 100m CPU and 200Mi (kube-scheduler's defaults), so
        // request-less Pods still spread by load instead of piling onto the first node.
        ScoreCpuMilli = CpuMilli == 0 ? 100 : CpuMilli;
        ScoreMemoryBytes = MemoryBytes == 0 ? 200L * 1024 * 1024 : MemoryBytes;
        OwnerUid = WellKnownIndexes.ControllerOf(pod)?.Uid;
        var anti = spec.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (anti is { Count: > 0 })
        {
            AntiAffinity = anti
                .Where(t => t.LabelSelector != null)
                .Select(t => (t, Selector.FromLabelSelector(t.LabelSelector)))
                .ToList();
        }
    }

    public Pod Pod { get; }

    public string Key { get; }

    public string? Namespace => Pod.Metadata.Namespace;

    public IDictionary<string, string>? Labels => Pod.Metadata.Labels;

    public long CpuMilli { get; }

    public long MemoryBytes { get; }

    public long ScoreCpuMilli { get; }

    public long ScoreMemoryBytes { get; }

    public List<HostPort>? HostPorts { get; }

    public string? OwnerUid { get; }

    /// <summary>Required anti-affinity terms with their parsed selectors.</summary>
    public List<(PodAffinityTerm Term, Selector Selector)>? AntiAffinity { get; }

    private static long Request(Container c, string resource, Func<Quantity, long> unit)
    {
        if (c.Resources?.Requests != null && c.Resources.Requests.TryGetValue(resource, out var q))
        {
            return unit(q);
        }

        // Kubernetes defaults requests to limits when only limits are given.
        return c.Resources?.Limits != null && c.Resources.Limits.TryGetValue(resource, out var l) ? unit(l) : 0;
    }
}

public readonly record struct HostPort(int Port, string Protocol, string HostIP)
{
    public bool ConflictsWith(HostPort other)
        => Port == other.Port && Protocol == other.Protocol && (HostIP == other.HostIP || HostIP == "0.0.0.0" || other.HostIP == "0.0.0.0");
}
