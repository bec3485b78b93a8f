namespace GitOrch.Engine.Runtime;

public enum ReconcileOutcome
{
    /// <summary>Converged; nothing to do until something changes.</summary>
    Done,

    /// <summary>Converged for now, but time itself will change the answer (a deadline, minReadySeconds): look again later.</summary>
    RequeueAfter,

    /// <summary>A transient failure: retried with the queue's rate-limited exponential backoff (capped at <see cref="ReconcileResult.Delay"/> when set).</summary>
    Error,

    /// <summary>
    /// The user must fix something (reported in status): not retried with backoff until the object changes. A reconciler
    /// whose input also lives outside the store (a Git remote) may still ask to look again after <see cref="ReconcileResult.Delay"/>.
    /// </summary>
    Terminal,
}

/// <summary>The three (plus one) outcomes of a reconcile, as controller-runtime has them.</summary>
public readonly record struct ReconcileResult(ReconcileOutcome Outcome, TimeSpan Delay = default, string? Message = null, Exception? Exception = null)
{
    public static ReconcileResult Done { get; } = new(ReconcileOutcome.Done);

    public static ReconcileResult After(TimeSpan delay) => new(ReconcileOutcome.RequeueAfter, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

    public static ReconcileResult Error(string message, Exception? exception = null) => new(ReconcileOutcome.Error, default, message, exception);

    /// <summary>An error whose backoff never exceeds <paramref name="maxDelay"/> (a source retries no later than its poll interval).</summary>
    public static ReconcileResult Error(string message, TimeSpan maxDelay, Exception? exception = null) => new(ReconcileOutcome.Error, maxDelay, message, exception);

    public static ReconcileResult Terminal(string message) => new(ReconcileOutcome.Terminal, default, message);

    /// <summary>Terminal, but polled again after <paramref name="pollAfter"/>: the fix may arrive where no watch sees it (a new commit).</summary>
    public static ReconcileResult Terminal(string message, TimeSpan pollAfter) => new(ReconcileOutcome.Terminal, pollAfter < TimeSpan.Zero ? TimeSpan.Zero : pollAfter, message);

    /// <summary>The sooner of two results: an error wins, then the shorter requeue, then done.</summary>
    public ReconcileResult Min(ReconcileResult other)
    {
        if (Outcome is ReconcileOutcome.Error or ReconcileOutcome.Terminal)
        {
            return this;
        }

        if (other.Outcome is ReconcileOutcome.Error or ReconcileOutcome.Terminal)
        {
            return other;
        }

        if (Outcome == ReconcileOutcome.RequeueAfter && other.Outcome == ReconcileOutcome.RequeueAfter)
        {
            return Delay <= other.Delay ? this : other;
        }

        return Outcome == ReconcileOutcome.RequeueAfter ? this : other;
    }
}
