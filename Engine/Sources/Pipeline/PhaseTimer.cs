using System.Diagnostics;

namespace GitOrch.Engine.Sources.Pipeline;

/// <summary>Times the phases of one reconcile: each <see cref="Mark"/> records the time since the previous one in <see cref="SourceMetrics"/>.</summary>
public sealed class PhaseTimer
{
    private readonly string _source;
    private readonly long _started = Stopwatch.GetTimestamp();
    private TimeSpan _mark;

    public PhaseTimer(string source) => _source = source;

    /// <summary>Time since the reconcile started (status history records it).</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public void Mark(string phase)
    {
        var now = Elapsed;
        SourceMetrics.Phases.Record((now - _mark).TotalSeconds, new KeyValuePair<string, object?>("phase", phase), new KeyValuePair<string, object?>("source", _source));
        _mark = now;
    }
}
