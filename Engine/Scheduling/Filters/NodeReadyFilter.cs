namespace GitOrch.Engine.Scheduling.Filters;

/// <summary>First: two booleans, and a cordoned or dead node rules out the most Pods for the least work.</summary>
public sealed class NodeReadyFilter : IFilter
{
    public const string Unschedulable = "node(s) were unschedulable";
    public const string NotReady = "node(s) were not ready";

    public string Name => "NodeReady";

    public bool Fits(PodInfo pod, NodeInfo node, List<string> reasons)
    {
        if (node.Unschedulable)
        {
            reasons.Add(Unschedulable);
            return false;
        }

        if (!node.Ready)
        {
            reasons.Add(NotReady);
            return false;
        }

        return true;
    }
}
