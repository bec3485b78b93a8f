namespace GitOrch.Engine.Scheduling.Scoring;

/// <summary>Sum of the weights of the preferred node affinity terms a node matches, scaled to the best node.</summary>
public sealed class PreferredNodeAffinityScorer : IScorer
{
    public string Name => "NodeAffinity";

    public int Weight => 2;

    public bool AppliesTo(PodInfo pod) => pod.Pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution is { Count: > 0 };

    public void Score(PodInfo pod, IReadOnlyList<NodeInfo> nodes, Span<double> scores)
    {
        var terms = pod.Pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution;
        if (terms == null || terms.Count == 0)
        {
            scores.Clear();
            return;
        }

        double max = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            double sum = 0;
            foreach (var t in terms)
            {
                if (t.Weight > 0 && NodeSelectorMatcher.Matches(t.Preference, nodes[i].Node))
                {
                    sum += t.Weight;
                }
            }

            scores[i] = sum;
            max = Math.Max(max, sum);
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            scores[i] = max == 0 ? 0 : 100 * scores[i] / max;
        }
    }
}
