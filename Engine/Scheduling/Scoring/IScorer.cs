namespace GitOrch.Engine.Scheduling.Scoring;

/// <summary>
/// Ranks the feasible nodes for a Pod. <see cref="Score"/> fills one raw score per node; the scheduler scales each
/// scorer's scores to 0..100 (higher is better) and adds them with <see cref="Weight"/>.
/// </summary>
public interface IScorer
{
    string Name { get; }

    int Weight { get; }

    /// <summary>False when this scorer would give every node the same score for this Pod: it is skipped.</summary>
    bool AppliesTo(PodInfo pod) => true;

    void Score(PodInfo pod, IReadOnlyList<NodeInfo> nodes, Span<double> scores);
}
