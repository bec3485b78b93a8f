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
}
