using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A Node: NAME STATUS AGE VERSION INTERNAL-IP.</summary>
public sealed class NodeInfo : ResourceInfo<Node>, IPodOwner
{
    public NodeInfo(Node node)
        : base(node)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
        Status = ready == null ? "Unknown" : ready.Status == ConditionStatus.True ? "Ready" : "NotReady";
        if (node.Spec?.Unschedulable == true)
        {
            Status += ",SchedulingDisabled";
        }

        Version = node.Status?.NodeInfo?.KubeletVersion;
        InternalIP = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        Cpu = node.Status?.Capacity != null && node.Status.Capacity.TryGetValue("cpu", out var cpu) ? cpu.ToString() : null;
        Memory = node.Status?.Capacity != null && node.Status.Capacity.TryGetValue("memory", out var mem) ? mem.ToString() : null;
        Taints = node.Spec?.Taints?.Select(t => t.Key + (t.Value == null ? "" : "=" + t.Value) + ":" + t.Effect).ToArray() ?? System.Array.Empty<string>();
    }

    public string Status { get; }

    public string? Version { get; }

    public string? InternalIP { get; }

    public string? Cpu { get; }

    public string? Memory { get; }

    public string[] Taints { get; }

    string? IPodOwner.PodSelector => null;

    /// <summary>The node's name, for Get-Pod -Node.</summary>
    public string PodNode => Name;
}
