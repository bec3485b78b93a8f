using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// <c>?watch=true</c>: a chunked stream of newline-delimited <c>{"type":...,"object":...}</c> events.
/// Without a resourceVersion (or with "0") it first sends the current objects as ADDED, like kube-apiserver;
/// with one it resumes right after it, or answers an ERROR event with a 410 Expired Status when that
/// revision has left the store's change log. Ends on client disconnect, <c>timeoutSeconds</c>, or host shutdown.
/// </summary>
internal static class WatchHandler
{
    private static readonly byte[] Suffix = "}\n"u8.ToArray();

    /// <summary>How long a quiet watch waits before sending a BOOKMARK (when the client allows bookmarks).</summary>
    internal static TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(15);

    public static async Task WatchAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind)
    {
        var query = ListQuery.From(context.Request.Query, kind);
        var fromRevision = ParseRevision(context.Request.Query["resourceVersion"].ToString());
        var bookmarks = RequestInfo.IsTrue(context.Request.Query["allowWatchBookmarks"]);
        var lifetime = context.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        if (int.TryParse(context.Request.Query["timeoutSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-cache, private";
        var output = response.BodyWriter;

        IStoreWatch watch;
        long start;
        var node = FieldSelector.RequiredNodeName(context.Request.Query["fieldSelector"].ToString(), kind);
        FilteredView? view = null;
        try
        {
            if (fromRevision == null)
            {
                // "Get state and start at most recent": current objects as ADDED, then changes after that list.
                var page = store.ListPage(kind, info.Namespace, query.Labels, query.Fields, 0, null);
                watch = store.Watch(kind, info.Namespace, page.Revision, node);
                start = page.Revision;
                view = query.MatchesAll ? null : new FilteredView(page.Items.Select(i => i.Key));
                foreach (var item in page.Items)
                {
                    WriteEvent(output, "ADDED"u8, item.Json);
                }
            }
            else
            {
                watch = store.Watch(kind, info.Namespace, fromRevision.Value, node);
                start = fromRevision.Value;
                view = query.MatchesAll ? null : new FilteredView(null);
            }
        }
        catch (StoreException e) when (e.Code == 410)
        {
            await WriteErrorAsync(output, e.ToStatus());
            return;
        }

        using (watch)
        {
            await response.StartAsync(stop.Token);
            await output.FlushAsync(stop.Token);
            await PumpAsync(watch, output, query, view, kind, bookmarks, start, stop.Token);
        }
    }

    private static async Task PumpAsync(IStoreWatch watch, PipeWriter output, ListQuery query, FilteredView? view, ResourceKind kind, bool bookmarks, long revision, CancellationToken cancellationToken)
    {
        var events = watch.Events;
        try
        {
            while (true)
            {
                if (!await WaitAsync(events, bookmarks, cancellationToken))
                {
                    if (events.Completion.IsCompleted)
                    {
                        break;
                    }

                    WriteBookmark(output, kind, revision);
                    await output.FlushAsync(cancellationToken);
                    continue;
                }

                // Drain everything already queued and flush once: bursts cost one network write, not one per event.
                while (events.TryRead(out var e))
                {
                    revision = e.Revision;
                    if (view == null)
                    {
                        WriteEvent(output, TypeName(e.Type), e.Object.Json);
                    }
                    else if (view.Translate(e, query.Matches(e.Object.Shared)) is { } type)
                    {
                        WriteEvent(output, TypeName(type), e.Object.Json);
                    }
                }

                var flush = await output.FlushAsync(cancellationToken);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }

            // The store ended this watch (e.g. the watcher fell too far behind): tell the client to re-list.
            if (events.Completion.IsFaulted && events.Completion.Exception?.InnerException is StoreException se)
            {
                await WriteErrorAsync(output, se.ToStatus());
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Client gone, timeoutSeconds reached, or shutting down: the stream just ends.
        }
    }

    /// <summary>True when events are ready; false when the channel completed or, with bookmarks, the interval passed quietly.</summary>
    private static async Task<bool> WaitAsync(System.Threading.Channels.ChannelReader<StoreEvent> events, bool bookmarks, CancellationToken cancellationToken)
    {
        if (!bookmarks)
        {
            return await events.WaitToReadAsync(cancellationToken);
        }

        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(BookmarkInterval);
        try
        {
            return await events.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static ReadOnlySpan<byte> TypeName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED"u8,
        WatchEventType.Modified => "MODIFIED"u8,
        _ => "DELETED"u8,
    };

    private static void WriteEvent(PipeWriter output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> objectJson)
    {
        output.Write("{\"type\":\""u8);
        output.Write(type);
        output.Write("\",\"object\":"u8);
        output.Write(objectJson);
        output.Write(Suffix);
    }

    private static void WriteBookmark(PipeWriter output, ResourceKind kind, long revision)
    {
        var json = $"{{\"kind\":\"{kind.Kind}\",\"apiVersion\":\"{kind.ApiVersion}\",\"metadata\":{{\"resourceVersion\":\"{revision.ToString(CultureInfo.InvariantCulture)}\"}}}}";
        WriteEvent(output, "BOOKMARK"u8, Encoding.UTF8.GetBytes(json));
    }

    private static async Task WriteErrorAsync(PipeWriter output, Status status)
    {
        status.Outcome ??= "Failure";
        WriteEvent(output, "ERROR"u8, KubeJson.SerializeToUtf8(status, typeof(Status)));
        await output.FlushAsync();
    }

    private static long? ParseRevision(string text)
    {
        if (text.Length == 0 || text == "0")
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0
            ? r
            : throw ApiException.BadRequest($"invalid resourceVersion \"{text}\"");
    }
}
