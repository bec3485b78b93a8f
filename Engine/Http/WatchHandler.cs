using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Hosting;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// <c>?watch=true</c>: a chunked stream of newline-delimited <c>{"type":...,"object":...}</c> events.
/// Without a resourceVersion (or with "0") it first sends the current objects as ADDED, like kube-apiserver;
/// with one it resumes right after it, or answers an ERROR event with a 410 Expired Status when that
/// revision has left the store's change log. Ends on client disconnect, <c>timeoutSeconds</c>, or host shutdown.
/// Memory per watcher is bounded: events are written in slices of <see cref="FlushThreshold"/> bytes whose flush
/// is awaited (so a client that does not read holds at most Kestrel's response buffer), and the store ends a watch
/// whose unread queue passes <see cref="StoreOptions.ClientWatch"/>, which closes the stream with an ERROR event.
/// </summary>
internal static class WatchHandler
{
    private static readonly byte[] Suffix = "}\n"u8.ToArray();
    private static readonly byte[] Added = "ADDED"u8.ToArray();
    private static readonly byte[] Modified = "MODIFIED"u8.ToArray();
    private static readonly byte[] Deleted = "DELETED"u8.ToArray();
    private static readonly byte[] Bookmark = "BOOKMARK"u8.ToArray();
    private static readonly byte[] Error = "ERROR"u8.ToArray();

    /// <summary>Bytes written before a flush is awaited: big enough that bursts go out in few writes, small enough
    /// that a stalled client's share of the Engine's memory stays a few buffers.</summary>
    internal const int FlushThreshold = 8 * 1024;

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
        var output = new SlicedWriter(response.BodyWriter, context);
        var limits = context.RequestServices.GetRequiredService<EngineOptions>().Store.ClientWatch;

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
                watch = store.Watch(kind, info.Namespace, page.Revision, node, limits);
                output.EndsWith(watch.Events.Completion);
                start = page.Revision;
                view = query.MatchesAll ? null : new FilteredView(page.Items.Select(i => i.Key));
                await response.StartAsync(stop.Token);
                foreach (var item in page.Items)
                {
                    await output.WriteEventAsync(Added, item.Json, stop.Token);
                }
            }
            else
            {
                watch = store.Watch(kind, info.Namespace, fromRevision.Value, node, limits);
                output.EndsWith(watch.Events.Completion);
                start = fromRevision.Value;
                view = query.MatchesAll ? null : new FilteredView(null);
            }
        }
        catch (StoreException e) when (e.Code == 410)
        {
            await WriteErrorAsync(output, e.ToStatus());
            return;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }

        using (watch)
        {
            await PumpAsync(watch, output, new WatchFilter(query, view, kind, bookmarks), start, stop.Token);
        }
    }

    /// <summary>Which events one watch passes on and how: the request's query, its field/label view, the kind, whether it asked for bookmarks.</summary>
    private sealed record WatchFilter(ListQuery Query, FilteredView? View, ResourceKind Kind, bool Bookmarks);

    private static async Task PumpAsync(IStoreWatch watch, SlicedWriter output, WatchFilter filter, long revision, CancellationToken cancellationToken)
    {
        var (query, view, kind, bookmarks) = filter;
        var events = watch.Events;
        try
        {
            await output.FlushAsync(cancellationToken);
            while (true)
            {
                if (!await WaitAsync(events, bookmarks, cancellationToken))
                {
                    if (events.Completion.IsCompleted)
                    {
                        break;
                    }

                    await WriteBookmarkAsync(output, kind, revision, cancellationToken);
                    await output.FlushAsync(cancellationToken);
                    continue;
                }

                // Drain everything already queued and flush once: bursts cost one network write, not one per event.
                while (events.TryRead(out var e))
                {
                    revision = e.Revision;
                    if (view == null)
                    {
                        await output.WriteEventAsync(TypeName(e.Type), e.Object.Json, cancellationToken);
                    }
                    else if (view.Translate(e, query.Matches(e.Object.Shared)) is { } type)
                    {
                        await output.WriteEventAsync(TypeName(type), e.Object.Json, cancellationToken);
                    }
                }

                if (!await output.FlushAsync(cancellationToken))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Client gone, timeoutSeconds reached, or shutting down: the stream just ends.
            return;
        }
        catch (WatchStalledException)
        {
            // The store ended this watch while the client was not reading, and it did not read within the grace.
            return;
        }

        // The store ended this watch (the watcher fell too far behind): tell the client to re-list.
        if (events.Completion.IsFaulted && events.Completion.Exception?.InnerException is StoreException se)
        {
            try
            {
                await WriteErrorAsync(output, se.ToStatus(), cancellationToken);
            }
            catch (Exception e) when (e is WatchStalledException or OperationCanceledException)
            {
                // Gone or not reading: the connection was dropped.
            }
        }
    }

    /// <summary>How long a watcher the store ended gets to take its ERROR event.</summary>
    internal static TimeSpan ErrorGrace { get; set; } = TimeSpan.FromSeconds(2);

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

    private static byte[] TypeName(WatchEventType type) => type switch
    {
        WatchEventType.Added => Added,
        WatchEventType.Modified => Modified,
        _ => Deleted,
    };

    private static Task WriteBookmarkAsync(SlicedWriter output, ResourceKind kind, long revision, CancellationToken cancellationToken)
    {
        var json = $"{{\"kind\":\"{kind.Kind}\",\"apiVersion\":\"{kind.ApiVersion}\",\"metadata\":{{\"resourceVersion\":\"{revision.ToString(CultureInfo.InvariantCulture)}\"}}}}";
        return output.WriteEventAsync(Bookmark, Encoding.UTF8.GetBytes(json), cancellationToken).AsTask();
    }

    private static async Task WriteErrorAsync(SlicedWriter output, Status status, CancellationToken cancellationToken = default)
    {
        status.Outcome ??= "Failure";
        await output.WriteEventAsync(Error, KubeJson.SerializeToUtf8(status, typeof(Status)), cancellationToken);
        await output.FlushAsync(cancellationToken);
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

    /// <summary>
    /// The response body as watch events, flushed (and the flush awaited) every <see cref="FlushThreshold"/> bytes.
    /// A flush that waits on a client that does not read is given up once the store has ended the watch and
    /// <see cref="ErrorGrace"/> has passed: the connection is aborted (cancelling a Kestrel flush would abort it
    /// at once, before an ERROR event could go out to a client that does read again).
    /// </summary>
    private sealed class SlicedWriter(PipeWriter output, HttpContext context)
    {
        private int _unflushed;
        private Task _ended = Task.Delay(Timeout.Infinite);

        public void EndsWith(Task storeEnded) => _ended = storeEnded;

        public async ValueTask WriteEventAsync(ReadOnlyMemory<byte> type, ReadOnlyMemory<byte> objectJson, CancellationToken cancellationToken)
        {
            output.Write("{\"type\":\""u8);
            output.Write(type.Span);
            output.Write("\",\"object\":"u8);
            _unflushed += type.Length + 22;

            // An object is written in slices too: one 1 MiB ConfigMap must not sit whole in a stalled client's buffer.
            while (objectJson.Length > 0)
            {
                var slice = objectJson[..Math.Min(objectJson.Length, FlushThreshold - Math.Min(_unflushed, FlushThreshold - 1))];
                output.Write(slice.Span);
                _unflushed += slice.Length;
                objectJson = objectJson[slice.Length..];
                if (_unflushed >= FlushThreshold)
                {
                    await FlushAsync(cancellationToken);
                }
            }

            output.Write(Suffix);
        }

        /// <summary>False when the client has gone.</summary>
        public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
        {
            _unflushed = 0;
            var pending = output.FlushAsync(cancellationToken);
            FlushResult result;
            if (pending.IsCompleted)
            {
                result = pending.Result;
            }
            else
            {
                var flush = pending.AsTask();
                if (await Task.WhenAny(flush, _ended) != flush && await Task.WhenAny(flush, Task.Delay(ErrorGrace, cancellationToken)) != flush)
                {
                    context.Abort();
                    throw new WatchStalledException();
                }

                result = await flush;
            }

            return !(result.IsCompleted || result.IsCanceled);
        }
    }

    private sealed class WatchStalledException : Exception;
}
