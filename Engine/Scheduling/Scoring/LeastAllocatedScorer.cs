namespace GitOrch.Engine.Scheduling.Scoring;

/// <summary>Prefers the node with the most CPU and memory left after placing the Pod (spreads load; kube-scheduler's LeastAllocated).</summary>
public sealed class LeastAllocatedScorer : IScorer
{
    public string Name => "LeastAllocated";

    public int Weight => 1;

    public void Score(PodInfo pod, IReadOnlyList<NodeInfo> nodes, Span<double> scores)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            scores[i] = (Free(n.AllocatableCpuMilli, n.ScoreCpuMilli + pod.ScoreCpuMilli) + Free(n.AllocatableMemoryBytes, n.ScoreMemoryBytes + pod.ScoreMemoryBytes)) * 50;
        }
    }

    private static double Free(long allocatable, long requested)
        => allocatable <= 0 ? 0 : Math.Max(0, (double)(allocatable - requested) / allocatable);
}
