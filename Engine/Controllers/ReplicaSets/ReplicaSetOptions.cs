namespace GitOrch.Engine.Controllers.ReplicaSets;

public sealed class ReplicaSetOptions
{
    /// <summary>Most Pods created or deleted in one store transaction (default 500, as the Kubernetes controller's burst).
    /// Larger batches make big scale-ups faster; a failed batch costs all of it.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Batches committed at the same time (default 4): the store folds them into one transaction while the next are prepared.</summary>
    public int ConcurrentBatches { get; set; } = 4;
}
