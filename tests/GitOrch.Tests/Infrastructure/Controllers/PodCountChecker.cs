using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Tests.Infrastructure.Controllers;

/// <summary>
/// Follows every committed Pod change of one app (label app=NAME) in revision order and records, after each one, how
/// many Pods exist and how many are ready: the "at every step" view of a rollout.
/// </summary>
public sealed class PodCountChecker : IDisposable
{
    private readonly Dictionary<string, Pod> _pods = new();
    private readonly IStoreWatch _watch;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PodCountChecker(ObjectStore store, string app)
    {
        foreach (var p in store.List<Pod>("default", GitOrch.Api.Selectors.Selector.Parse("app=" + app)))
        {
            _pods[p.Metadata.Name!] = p;
        }

        MaxPods = _pods.Count;
        MinReady = _pods.Values.Count(Ready);
        _watch = store.Watch(ResourceKinds.Pod, "default", store.Revision);
        _loop = Task.Run(async () =>
        {
            try
            {
                while (await _watch.Events.WaitToReadAsync(_stop.Token))
                {
                    while (_watch.Events.TryRead(out var e))
                    {
                        var pod = (Pod)e.Object.Shared;
                        if (pod.Metadata.Label("app") != app)
                        {
                            continue;
                        }

                        if (e.Type == WatchEventType.Deleted)
                        {
                            _pods.Remove(pod.Metadata.Name!);
                        }
                        else
                        {
                            _pods[pod.Metadata.Name!] = pod;
                        }

                        Steps++;
                        var live = _pods.Values.Where(p => p.Metadata.DeletionTimestamp == null).ToList();
                        MaxPods = Math.Max(MaxPods, live.Count);
                        MinReady = Math.Min(MinReady, live.Count(Ready));
                        if (live.Select(p => p.Spec!.Containers[0].Image).Distinct().Count() > 1)
                        {
                            SawMixedImages = true;
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public int Steps { get; private set; }

    public int MaxPods { get; private set; }

    public int MinReady { get; private set; }

    public bool SawMixedImages { get; private set; }

    public void Stop()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        Stop();
        _watch.Dispose();
        _stop.Dispose();
    }

    private static bool Ready(Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
