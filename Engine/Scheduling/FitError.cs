namespace GitOrch.Engine.Scheduling;

/// <summary>Why a Pod fits nowhere: how many nodes each reason ruled out, in kube-scheduler's words.</summary>
public sealed class FitError
{
    public FitError(int nodes, IReadOnlyDictionary<string, int> reasons)
    {
        Nodes = nodes;
        Reasons = reasons;
    }

    public int Nodes { get; }

    public IReadOnlyDictionary<string, int> Reasons { get; }

    /// <summary>"0/5 nodes are available: 3 Insufficient memory, 2 node(s) had untolerated taint {dedicated: db}." Most common reason first.</summary>
    public string Message
    {
        get
        {
            if (Nodes == 0)
            {
                return "0/0 nodes are available: no nodes are registered.";
            }

            var parts = Reasons.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}");
            return $"0/{Nodes} nodes are available: {string.Join(", ", parts)}.";
        }
    }

    public override string ToString() => Message;
}
