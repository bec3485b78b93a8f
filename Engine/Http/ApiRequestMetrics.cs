using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GitOrch.Engine.Http;

/// <summary>
/// Counts every API request by verb, kind and code and times it (watches are counted while open instead: their
/// duration is the client's choice), on the "GitOrch.Api" meter, as kube-apiserver's apiserver_request_* metrics.
/// First in the pipeline, so requests refused by authentication and errors turned into Status are counted too.
/// </summary>
internal sealed class ApiRequestMetrics(RequestDelegate next)
{
    private static readonly Meter Meter = new("GitOrch.Api");
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("gitorch_apiserver_requests_total", null, "API requests by verb, kind and HTTP code");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("gitorch_apiserver_request_duration_seconds", "s", "API request latency by verb and kind (watches excluded)");
    private static readonly UpDownCounter<long> Watches = Meter.CreateUpDownCounter<long>("gitorch_apiserver_watches", null, "Watches open now, by kind");

    public async Task InvokeAsync(HttpContext context)
    {
        var info = RequestInfo.Parse(context.Request.Method, context.Request.Path, context.Request.Query);
        var verb = info?.Verb ?? context.Request.Method.ToLowerInvariant();
        var kind = info?.Kind?.Plural ?? (info == null ? "" : info.Plural);
        var resource = info?.Subresource == null ? kind : kind + "/" + info.Subresource;
        var watch = info?.IsWatch == true;
        var started = Stopwatch.GetTimestamp();
        if (watch)
        {
            Watches.Add(1, new KeyValuePair<string, object?>("kind", resource));
        }

        try
        {
            await next(context);
        }
        finally
        {
            if (watch)
            {
                Watches.Add(-1, new KeyValuePair<string, object?>("kind", resource));
            }
            else
            {
                Latency.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("verb", verb), new KeyValuePair<string, object?>("kind", resource));
            }

            Requests.Add(1, new KeyValuePair<string, object?>("verb", verb), new KeyValuePair<string, object?>("kind", resource), new KeyValuePair<string, object?>("code", context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
