using System.Diagnostics.Metrics;

namespace GitOrch.Engine.Sources.Pipeline;

/// <summary>
/// Metrics of the source controller on the "GitOrch.Sources" meter: how long each phase of a commit's way to the
/// cluster took (fetch, load, desired, validate, live, plan, apply, status, noop), tagged with the phase and the source.
/// Read them with a <see cref="MeterListener"/> (the gitops benchmark does) or any OpenTelemetry exporter.
/// </summary>
public static class SourceMetrics
{
    public const string MeterName = "GitOrch.Sources";

    public const string PhaseSeconds = "gitorch_source_phase_seconds";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Histogram<double> Phases = Meter.CreateHistogram<double>(PhaseSeconds, "s", "Duration of one phase of one source reconcile");

    // When each source last applied a commit (Unix seconds), read at scrape time.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Namespace, string Name), double> LastApplied = new();

    private static readonly ObservableGauge<double> LastAppliedGauge = Meter.CreateObservableGauge(
        "gitorch_source_last_applied_timestamp_seconds",
        () => LastApplied.Select(kv => new Measurement<double>(kv.Value, new KeyValuePair<string, object?>("namespace", kv.Key.Namespace), new KeyValuePair<string, object?>("name", kv.Key.Name))),
        "s",
        "When a GitSource last applied a commit (Unix time)");

    /// <summary>Records that a source applied a commit now (the gitorch_source_last_applied_timestamp_seconds gauge).</summary>
    internal static void Applied(string? ns, string name, DateTimeOffset at)
    {
        _ = LastAppliedGauge;
        LastApplied[(ns ?? "", name)] = at.ToUnixTimeMilliseconds() / 1000.0;
    }
}
