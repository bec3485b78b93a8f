using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace GitOrch.Agent.Metrics;

/// <summary>
/// Publishes GitOrch's System.Diagnostics.Metrics instruments (meters named "GitOrch.*") through prometheus-net's
/// registry under their own names: counters as Prometheus counters, histograms as histograms (second buckets for
/// "s" units), up-down counters and observable gauges as gauges. prometheus-net's own MeterAdapter would prefix every
/// name with the meter's and expose counters as gauges, which breaks Prometheus naming (<c>*_total</c> is a counter);
/// the text format, registry and histogram math stay the library's. One per process, shared by the Engine and agents.
/// </summary>
public sealed class PrometheusExport : IDisposable
{
    private static readonly Lazy<PrometheusExport> SharedInstance = new(() =>
    {
        // Process metrics stay; prometheus-net's own Meter and EventCounter adapters would export GitOrch's meters a
        // second time under other names and cost CPU in every agent.
        Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true, SuppressDebugMetrics = true });
        return new PrometheusExport(Prometheus.Metrics.DefaultRegistry);
    });

    // Request and reconcile latencies: 1 ms to ~33 s.
    private static readonly double[] SecondBuckets = Histogram.ExponentialBuckets(0.001, 2, 16);

    // Sizes (store commit batch): 1 to 4096.
    private static readonly double[] SizeBuckets = Histogram.ExponentialBuckets(1, 2, 13);

    private readonly MeterListener _listener = new();
    private readonly IMetricFactory _factory;
    private readonly ConcurrentDictionary<(Instrument, string), Collector> _collectors = new();

    private PrometheusExport(CollectorRegistry registry)
    {
        Registry = registry;
        _factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("GitOrch", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();

        // Observable gauges (queue depth, watch count) are read at scrape time.
        registry.AddBeforeCollectCallback(() => _listener.RecordObservableInstruments());
    }

    /// <summary>The process's export (on prometheus-net's default registry, which also carries process metrics).</summary>
    public static PrometheusExport Shared => SharedInstance.Value;

    public CollectorRegistry Registry { get; }

    /// <summary>Writes every metric in the Prometheus text format (version 0.0.4).</summary>
    public Task WriteAsync(Stream stream, CancellationToken ct) => Registry.CollectAndExportAsTextAsync(stream, ct);

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        var names = sorted.Select(t => t.Key).ToArray();
        var values = sorted.Select(t => t.Value?.ToString() ?? "").ToArray();
        var collector = _collectors.GetOrAdd((instrument, string.Join(",", names)), _ => Create(instrument, names));
        switch (collector)
        {
            case Counter c:
                c.WithLabels(values).Inc(Math.Max(0, value));
                break;
            case Histogram h:
                h.WithLabels(values).Observe(value);
                break;
            case Gauge g when IsUpDown(instrument):
                g.WithLabels(values).Inc(value);
                break;
            case Gauge g:
                g.WithLabels(values).Set(value);
                break;
        }
    }

    private Collector Create(Instrument instrument, string[] labels)
    {
        var help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>))
        {
            return _factory.CreateCounter(instrument.Name, help, labels);
        }

        if (type == typeof(Histogram<>))
        {
            var buckets = instrument.Unit == "s" ? SecondBuckets : SizeBuckets;
            return _factory.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration { Buckets = buckets });
        }

        return _factory.CreateGauge(instrument.Name, help, labels);
    }

    private static bool IsUpDown(Instrument instrument) => instrument.GetType().GetGenericTypeDefinition() == typeof(UpDownCounter<>);

    public void Dispose() => _listener.Dispose();
}
