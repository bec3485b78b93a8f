using System.Collections.Concurrent;
using Docker.DotNet.Models;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Pods;

/// <summary>
/// Keeps one <see cref="PodWorker"/> per Pod bound to this node: list, then watch (<c>spec.nodeName=NODE</c>),
/// relisting whenever the watch ends. Three more triggers keep workers honest: Docker's container events (a
/// crash is seen within milliseconds, not at the next resync), the periodic resync, and the orphan sweep, which
/// removes containers labelled with this node whose Pod no longer exists (deleted while the agent was down).
/// </summary>
public sealed class PodManager : IAsyncDisposable
{
    private readonly PodWorkerContext _ctx;
    private readonly ConcurrentDictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private volatile bool _listed;

    public PodManager(PodWorkerContext ctx)
    {
        _ctx = ctx;
    }

    /// <summary>Pods this agent currently runs (by uid).</summary>
    public IReadOnlyCollection<string> PodUids => _workers.Keys.ToList();

    public void Start()
    {
        _loops.Add(Task.Run(() => ListWatchLoopAsync(_stop.Token)));
        _loops.Add(Task.Run(() => ResyncLoopAsync(_stop.Token)));
        _loops.Add(Task.Run(() => DockerEventsLoopAsync(_stop.Token)));
    }

    /// <summary>Syncs every Pod now (e.g. when Docker came back).</summary>
    public void KickAll()
    {
        foreach (var w in _workers.Values)
        {
            w.Kick();
        }
    }

    private async Task ListWatchLoopAsync(CancellationToken ct)
    {
        var selector = "spec.nodeName=" + _ctx.NodeName;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await _ctx.Client.ListAsync<Pod>(null, fieldSelector: selector, cancellationToken: ct);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pod in list.Items)
                {
                    Upsert(pod);
                    seen.Add(pod.Metadata.Uid ?? "");
                }

                foreach (var (uid, worker) in _workers)
                {
                    if (!seen.Contains(uid))
                    {
                        worker.MarkDeleted();
                    }
                }

                _listed = true;
                await SweepOrphansAsync(ct);
                await foreach (var ev in _ctx.Client.WatchAsync<Pod>(null, list.Metadata?.ResourceVersion, fieldSelector: selector, cancellationToken: ct))
                {
                    if (ev.Object == null)
                    {
                        continue;
                    }

                    if (ev.Type == "DELETED")
                    {
                        if (_workers.TryGetValue(ev.Object.Metadata.Uid ?? "", out var w))
                        {
                            w.MarkDeleted();
                        }
                    }
                    else if (ev.Type is "ADDED" or "MODIFIED")
                    {
                        Upsert(ev.Object);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is GitOrchApiException or HttpRequestException or IOException or TaskCanceledException or DockerUnavailableException)
            {
                AgentLog.WatchFailed(_ctx.Logger, e.Message);
                await DelayAsync(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private void Upsert(Pod pod)
    {
        var uid = pod.Metadata.Uid;
        if (string.IsNullOrEmpty(uid) || pod.Spec?.NodeName != _ctx.NodeName)
        {
            return;
        }

        if (_workers.TryGetValue(uid, out var existing))
        {
            existing.Update(pod);
            return;
        }

        var worker = new PodWorker(_ctx, pod);
        if (_workers.TryAdd(uid, worker))
        {
            _ = RemoveWhenDoneAsync(worker);
        }
    }

    private async Task RemoveWhenDoneAsync(PodWorker worker)
    {
        try
        {
            await worker.Completion;
        }
        catch (Exception)
        {
            // The worker logs its own failures; the entry must go either way.
        }

        if (worker.IsDeleted)
        {
            _workers.TryRemove(new KeyValuePair<string, PodWorker>(worker.Uid, worker));
            await worker.DisposeAsync();
        }
    }

    private async Task ResyncLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await DelayAsync(_ctx.Options.ResyncInterval, ct);
            KickAll();
            try
            {
                await SweepOrphansAsync(ct);
            }
            catch (Exception e) when (e is DockerUnavailableException or Docker.DotNet.DockerApiException or HttpRequestException)
            {
                // The node heartbeat reports Docker's health; the next resync tries again.
            }
        }
    }

    /// <summary>Removes this node's containers whose Pod is unknown. Only after a successful list, so an Engine outage never deletes anything.</summary>
    private async Task SweepOrphansAsync(CancellationToken ct)
    {
        if (!_listed)
        {
            return;
        }

        var containers = await _ctx.Docker.ListAsync(_ctx.NodeName, null, ct);
        foreach (var c in containers)
        {
            var uid = c.Labels != null && c.Labels.TryGetValue(AgentLabels.PodUid, out var u) ? u : null;
            if (uid == null || _workers.ContainsKey(uid))
            {
                continue;
            }

            AgentLog.RemovingOrphan(_ctx.Logger, c.ID[..12], uid);
            if (c.Labels!.TryGetValue(AgentLabels.ContainerKind, out var kind) && kind == AgentLabels.SandboxKind && _ctx.Network != null)
            {
                // CNI DEL before the namespace goes, so the Pod's address returns to the pool.
                await _ctx.Network.TeardownAsync(null, uid, [c.ID], ct);
                continue;
            }

            if (c.State == "running")
            {
                await _ctx.Docker.StopAsync(c.ID, TimeSpan.FromSeconds(10), ct);
            }

            await _ctx.Docker.RemoveAsync(c.ID, ct);
            _ctx.Volumes.Remove(uid);
        }
    }

    private async Task DockerEventsLoopAsync(CancellationToken ct)
    {
        var progress = new EventRelay(this);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _ctx.Docker.MonitorAsync(_ctx.NodeName, progress, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DockerUnavailableException or Docker.DotNet.DockerApiException or HttpRequestException or IOException)
            {
                AgentLog.EventsEnded(_ctx.Logger, e.Message);
            }

            await DelayAsync(TimeSpan.FromSeconds(1), ct);
        }
    }

    private void OnDockerEvent(Message m)
    {
        // die covers crashes, OOM kills and normal exits; the worker decides what they mean.
        if (m.Action is not ("die" or "oom" or "start" or "destroy"))
        {
            return;
        }

        if (m.Actor?.Attributes != null && m.Actor.Attributes.TryGetValue(AgentLabels.PodUid, out var uid) && _workers.TryGetValue(uid, out var w))
        {
            w.Kick();
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }

        // Stopping the agent leaves containers running (like kubelet): the next agent adopts them.
        await Task.WhenAll(_workers.Values.Select(w => w.DisposeAsync().AsTask()));
        _workers.Clear();
        _stop.Dispose();
    }

    private sealed class EventRelay(PodManager manager) : IProgress<Message>
    {
        public void Report(Message value) => manager.OnDockerEvent(value);
    }
}
