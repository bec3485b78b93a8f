namespace GitOrch.Engine.Coordination;

/// <summary>
/// One stretch of leadership of one Engine: when its controllers started and stopped, and the writes they made
/// (through <see cref="TermFencedStore"/>), on this process's clock. Tests check that terms never overlap.
/// </summary>
public sealed class LeaderTerm
{
    private readonly object _gate = new();

    public LeaderTerm(string identity, int term, DateTimeOffset started)
    {
        Identity = identity;
        Term = term;
        Started = started;
    }

    public string Identity { get; }

    /// <summary>The lease's leaseTransitions when this Engine took or kept it.</summary>
    public int Term { get; }

    public DateTimeOffset Started { get; }

    /// <summary>When every controller of the term had stopped; null while it runs.</summary>
    public DateTimeOffset? Stopped { get; private set; }

    /// <summary>Writes the term's components made.</summary>
    public long Writes { get; private set; }

    public DateTimeOffset? FirstWrite { get; private set; }

    public DateTimeOffset? LastWrite { get; private set; }

    /// <summary>True until the term ends; a write is only let through while it is.</summary>
    public bool Active => Stopped == null && !Ending;

    internal bool Ending { get; set; }

    internal void RecordWrite(DateTimeOffset at)
    {
        lock (_gate)
        {
            Writes++;
            FirstWrite ??= at;
            LastWrite = at;
        }
    }

    internal void End(DateTimeOffset at) => Stopped = at;
}
