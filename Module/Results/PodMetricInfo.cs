using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A Pod's recent usage (metrics.k8s.io PodMetrics): NAME CPU(cores) MEMORY(bytes), as kubectl top pods shows it.</summary>
public sealed class PodMetricInfo : ResourceInfo<PodMetrics>
{
    public PodMetricInfo(PodMetrics metrics)
        : base(metrics)
    {
        CpuMillicores = metrics.Containers.Sum(c => c.Usage.TryGetValue("cpu", out var q) ? (long)(q.Value * 1000m) : 0);
        MemoryBytes = metrics.Containers.Sum(c => c.Usage.TryGetValue("memory", out var q) ? (long)q.Value : 0);
        Timestamp = metrics.Timestamp;
        Window = metrics.Window;
        Containers = metrics.Containers.Select(c => c.Name).ToArray();
    }

    /// <summary>CPU of all containers, in millicores (1000 = one core).</summary>
    public long CpuMillicores { get; }

    /// <summary>Memory working set of all containers, in bytes.</summary>
    public long MemoryBytes { get; }

    /// <summary>"250m", as kubectl top writes it.</summary>
    public string Cpu => CpuMillicores + "m";

    /// <summary>"12Mi", as kubectl top writes it.</summary>
    public string Memory => (MemoryBytes / (1024 * 1024)) + "Mi";

    public System.DateTimeOffset? Timestamp { get; }

    public string? Window { get; }

    public string[] Containers { get; }
}
