using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// The transport of every module client: reports each request's method, path, status and time to the cmdlet that
/// made it, for -Verbose. The cmdlet running on this async flow sets <see cref="Sink"/>; the client is shared by
/// all cmdlets, so the sink travels with the call (AsyncLocal), not with the client.
/// </summary>
internal sealed class RequestLog : DelegatingHandler
{
    private static readonly AsyncLocal<Action<string>?> CurrentSink = new();

    public RequestLog(HttpMessageHandler transport)
        : base(transport)
    {
    }

    /// <summary>Where this async flow's request lines go (null: nowhere).</summary>
    public static Action<string>? Sink
    {
        get => CurrentSink.Value;
        set => CurrentSink.Value = value;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sink = Sink;
        if (sink == null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var watch = Stopwatch.StartNew();
        var what = request.Method + " " + request.RequestUri?.PathAndQuery;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            sink($"{what} -> {(int)response.StatusCode} {response.StatusCode} ({watch.ElapsedMilliseconds} ms)");
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            sink($"{what} -> failed after {watch.ElapsedMilliseconds} ms: {e.Message}");
            throw;
        }
    }
}
