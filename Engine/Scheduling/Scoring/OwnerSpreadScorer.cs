namespace GitOrch.Engine.Scheduling.Scoring;

/// <summary>Prefers nodes with fewer Pods of the same controller (replicas of one ReplicaSet spread out, so a node loss costs few).</summary>
public sealed class OwnerSpreadScorer : IScorer
{
    public string Name => "SelectorSpread";

    public int Weight => 2;

    public bool AppliesTo(PodInfo pod) => pod.OwnerUid != null;

    public void Score(PodInfo pod, IReadOnlyList<NodeInfo> nodes, Span<double> scores)
    {
        if (pod.OwnerUid == null)
        {
            scores.Fill(100);
            return;
        }

        var max = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            var c = nodes[i].OwnerCount(pod.OwnerUid);
            scores[i] = c;
            max = Math.Max(max, c);
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            scores[i] = max == 0 ? 100 : 100.0 * (max - scores[i]) / max;
        }
    }
}
