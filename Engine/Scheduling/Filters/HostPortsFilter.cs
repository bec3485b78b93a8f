namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>Host ports (protocol, port, host IP with 0.0.0.0 as wildcard) must be free on the node. Last: rare, and it walks the node's ports.</summary>
public sealed class HostPortsFilter : IFilter
{
    public const string Conflict = "node(s) didn't have free ports for the requested pod ports";

    public string Name => "NodePorts";

    public bool AppliesTo(PodInfo pod) => pod.HostPorts != null;

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        if (pod.HostPorts == null || node.UsedPorts.Count == 0)
        {
            return true;
        }

        foreach (var want in pod.HostPorts)
        {
            foreach (var used in node.UsedPorts)
            {
                if (want.ConflictsWith(used))
                {
                    reasons.Add(Conflict);
                    return false;
                }
            }
        }

        return true;
    }
}
