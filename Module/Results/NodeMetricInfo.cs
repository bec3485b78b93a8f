using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A node's recent usage (metrics.k8s.io NodeMetrics): NAME CPU(cores) CPU% MEMORY(bytes) MEMORY%, as kubectl top nodes shows it.</summary>
public sealed class NodeMetricInfo : ResourceInfo<NodeMetrics>
{
    public NodeMetricInfo(NodeMetrics metrics, Node? node)
        : base(metrics)
    {
        CpuMillicores = metrics.Usage.TryGetValue("cpu", out var cpu) ? (long)(cpu.Value * 1000m) : 0;
        MemoryBytes = metrics.Usage.TryGetValue("memory", out var mem) ? (long)mem.Value : 0;
        var capacity = node?.Status?.Allocatable ?? node?.Status?.Capacity;
        CpuPercent = capacity != null && capacity.TryGetValue("cpu", out var c) && c.Value > 0 ? (int)(CpuMillicores / (c.Value * 10m)) : null;
        MemoryPercent = capacity != null && capacity.TryGetValue("memory", out var m) && m.Value > 0 ? (int)(MemoryBytes * 100m / m.Value) : null;
        Timestamp = metrics.Timestamp;
    }

    /// <summary>CPU in millicores (1000 = one core).</summary>
    public long CpuMillicores { get; }

    /// <summary>Memory working set in bytes.</summary>
    public long MemoryBytes { get; }

    public string Cpu => CpuMillicores + "m";

    public string Memory => (MemoryBytes / (1024 * 1024)) + "Mi";

    /// <summary>CPU as a percentage of the node's allocatable CPU (null when the Node does not say).</summary>
    public int? CpuPercent { get; }

    /// <summary>Memory as a percentage of the node's allocatable memory.</summary>
    public int? MemoryPercent { get; }

    public System.DateTimeOffset? Timestamp { get; }
}
