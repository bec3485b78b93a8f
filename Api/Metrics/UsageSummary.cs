using System;
using System.Collections.Generic;

namespace GitOrch.Api.Metrics;

/// <summary>
/// What an agent serves at <c>/stats/usage</c> and the Engine scrapes (the role of kubelet's summary API): the latest
/// CPU and memory of the node and of each Pod container it runs. CPU is the change of the cumulative counter over
/// the window, in nanocores; memory is the working set (usage minus inactive file cache) in bytes.
/// </summary>
public sealed class UsageSummary
{
    public NodeUsage Node { get; set; } = new();
    public List<PodUsage> Pods { get; set; } = new();
}

public sealed class NodeUsage
{
    public string NodeName { get; set; } = "";
    public DateTimeOffset Timestamp { get; set; }
    public double WindowSeconds { get; set; }
    public long CpuNanoCores { get; set; }
    public long MemoryWorkingSetBytes { get; set; }
}

public sealed class PodUsage
{
    public string Namespace { get; set; } = "";
    public string Name { get; set; } = "";
    public string Uid { get; set; } = "";
    public DateTimeOffset Timestamp { get; set; }
    public double WindowSeconds { get; set; }
    public List<ContainerUsage> Containers { get; set; } = new();
}

public sealed class ContainerUsage
{
    public string Name { get; set; } = "";
    public long CpuNanoCores { get; set; }
    public long MemoryWorkingSetBytes { get; set; }
}
