using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Events;

/// <summary>
/// Writes Events in the background so recording never slows a reconcile. An Event's name is derived from what it
/// says, so a repeat (even after a restart) finds and counts the earlier one instead of adding another.
/// </summary>
public sealed partial class EventRecorder : BackgroundService, IEventRecorder
{
    private readonly IObjectStore _store;
    private readonly TimeProvider _time;
    private readonly EventOptions _options;
    private readonly ILogger<EventRecorder> _log;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private long _queued;
    private long _written;

    public EventRecorder(IObjectStore store, TimeProvider time, EventOptions options, ILogger<EventRecorder> log)
    {
        _store = store;
        _time = time;
        _options = options;
        _log = log;
    }

    public void Record(KubeObject involved, string type, string reason, string message, string component = "gitorch-engine")
    {
        var kind = ResourceKinds.Of(involved);
        var reference = new ObjectReference
        {
            ApiVersion = kind.ApiVersion,
            Kind = kind.Kind,
            Name = involved.Metadata.Name,
            Namespace = involved.Metadata.Namespace,
            Uid = involved.Metadata.Uid,
            ResourceVersion = involved.Metadata.ResourceVersion,
        };
        Interlocked.Increment(ref _queued);
        _queue.Writer.TryWrite(new Pending(reference, type, reason, message, component, _time.GetUtcNow()));
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _queued);
        while (Interlocked.Read(ref _written) < target)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastSweep = _time.GetUtcNow();
        var reader = _queue.Reader;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            tick.CancelAfter(_options.SweepInterval);
            try
            {
                await reader.WaitToReadAsync(tick.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                break;
            }

            while (reader.TryRead(out var p))
            {
                await WriteAsync(p, stoppingToken).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
            }

            if (_time.GetUtcNow() - lastSweep >= _options.SweepInterval)
            {
                lastSweep = _time.GetUtcNow();
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Deletes Events past their time to live, then the oldest beyond the cap.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var events = _store.List<Event>().OrderBy(e => e.LastTimestamp ?? e.Metadata.CreationTimestamp).ToList();
        var excess = events.Count - _options.MaxEvents;
        foreach (var e in events)
        {
            var seen = e.LastTimestamp ?? e.Metadata.CreationTimestamp ?? now;
            if (excess-- > 0 || now - seen > _options.TimeToLive)
            {
                await IgnoreMissing(_store.DeleteAsync(ResourceKinds.Event, e.Namespace, e.Name, null, cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteAsync(Pending p, CancellationToken cancellationToken)
    {
        var ns = p.Involved.Namespace ?? "default";
        var name = NameFor(p);
        try
        {
            // A lost race (a concurrent update, or a create that another writer won) re-reads the event and counts again.
            await ConflictRetry.RunAsync(IsRaceLost, async token =>
            {
                var existing = _store.Get<Event>(ns, name);
                if (existing == null)
                {
                    await _store.CreateAsync(new Event
                    {
                        Metadata = new ObjectMeta { Name = name, Namespace = ns },
                        InvolvedObject = p.Involved,
                        Reason = p.Reason,
                        Message = p.Message,
                        Type = p.Type,
                        Count = 1,
                        FirstTimestamp = p.At,
                        LastTimestamp = p.At,
                        Source = new EventSource { Component = p.Component },
                        ReportingComponent = p.Component,
                    }, token).ConfigureAwait(false);
                }
                else
                {
                    existing.Count = (existing.Count ?? 1) + 1;
                    existing.LastTimestamp = p.At;
                    existing.InvolvedObject = p.Involved;
                    await _store.UpdateAsync(existing, token).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            // An event about an object in a namespace that is going away is not worth failing for.
            LogDropped(_log, p.Reason, ex.Message);
        }
    }

    private static bool IsRaceLost(Exception e) => e is StoreException { IsConflict: true } or StoreException { IsAlreadyExists: true };

    private static string NameFor(Pending p)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{p.Involved.Kind}\n{p.Involved.Uid}\n{p.Type}\n{p.Reason}\n{p.Message}"));
        var prefix = (p.Involved.Name ?? "object").Length > 200 ? p.Involved.Name![..200] : p.Involved.Name ?? "object";
        return prefix + "." + Convert.ToHexString(digest, 0, 8).ToLowerInvariant();
    }

    private static async Task IgnoreMissing(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (StoreException ex) when (ex.IsNotFound)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {Reason} dropped: {Error}")]
    private static partial void LogDropped(ILogger logger, string reason, string error);

    private sealed record Pending(ObjectReference Involved, string Type, string Reason, string Message, string Component, DateTimeOffset At);
}
