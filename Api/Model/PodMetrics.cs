using System;
using System.Collections.Generic;

namespace GitOrch.Api.Model;

/// <summary>metrics.k8s.io/v1beta1 NodeMetrics: a node's recent CPU and memory (<c>kubectl top nodes</c>). Not stored: served from the Engine's usage cache.</summary>
public sealed class NodeMetrics : KubeObject
{
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The sampling window, as a Go duration ("1s").</summary>
    public string? Window { get; set; }

    /// <summary>"cpu" (cores) and "memory" (working set bytes).</summary>
    public Dictionary<string, Quantity> Usage { get; set; } = new();
}

/// <summary>metrics.k8s.io/v1beta1 PodMetrics: usage of each container of a Pod (<c>kubectl top pods</c>).</summary>
public sealed class PodMetrics : KubeObject
{
    public DateTimeOffset? Timestamp { get; set; }
    public string? Window { get; set; }
    public List<ContainerMetrics> Containers { get; set; } = new();
}

public sealed class ContainerMetrics : Extensible
{
    public string Name { get; set; } = "";
    public Dictionary<string, Quantity> Usage { get; set; } = new();
}
