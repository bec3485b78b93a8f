using System.Diagnostics;
using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// A DaemonSet on 500 hollow Nodes: time until every node has its daemon, then a rolling image update with
/// maxUnavailable 10% until every node runs the new revision again, with a stand-in agent that marks each bound Pod
/// Running and Ready as soon as it sees it (batched, like many agents writing at once).
/// </summary>
public static class DaemonSetScenario
{
    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var nodes = args.Length > 0 && char.IsDigit(args[0][0]) ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        await using var cluster = new BenchCluster();
        await cluster.CreateAsync(nodes, BenchCluster.HollowNode);
        await cluster.StartAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var agent = Task.Run(() => AgentAsync(cluster.Store, stop.Token));

        var sw = Stopwatch.StartNew();
        await cluster.Store.CreateAsync(new DaemonSet
        {
            Metadata = new ObjectMeta { Name = "logs", Namespace = "default" },
            Spec = new DaemonSetSpec
            {
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "logs" } },
                Template = new PodTemplateSpec { Metadata = new ObjectMeta { Labels = new() { ["app"] = "logs" } }, Spec = BenchCluster.PodSpec() },
                UpdateStrategy = new DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateDaemonSet { MaxUnavailable = "10%" } },
            },
        });
        await UntilAsync(() => Pods(cluster.Store).Count == nodes, stop.Token);
        var created = sw.Elapsed;
        await UntilAsync(() => Pods(cluster.Store).All(p => p.Status?.Phase == "Running"), stop.Token);
        var running = sw.Elapsed;
        await UntilAsync(() => Status(cluster.Store) is { NumberReady: var r, UpdatedNumberScheduled: var u } && r == nodes && u == nodes, stop.Token);
        var placed = sw.Elapsed;

        var ds = cluster.Store.Get<DaemonSet>("default", "logs")!;
        ds.Spec!.Template.Spec!.Containers[0].Image = "registry.local/app:2";
        await cluster.Store.UpdateAsync(ds);
        sw.Restart();
        await UntilAsync(
            () => Status(cluster.Store) is { NumberReady: var r, UpdatedNumberScheduled: var u, ObservedGeneration: var g } && g == 2 && r == nodes && u == nodes
                   && Pods(cluster.Store).Count == nodes,
            stop.Token);
        var rolled = sw.Elapsed;
        await stop.CancelAsync();
        try
        {
            await agent;
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine($"{"measure",-40} {"value",12}");
        Console.WriteLine($"{"nodes",-40} {nodes,12}");
        Console.WriteLine($"{"a daemon Pod for every node, s",-40} {created.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"all of them Running (stand-in agent), s",-40} {running.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"status: all ready and updated, s",-40} {placed.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"rolling update (maxUnavailable 10%), s",-40} {rolled.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"machine load average (1 min)",-40} {File.ReadAllText("/proc/loadavg").Split(' ')[0],12}");
        return new BenchResult("daemonset").Add("nodes", nodes).Add("placed_s", Math.Round(placed.TotalSeconds, 2)).Add("rolled_s", Math.Round(rolled.TotalSeconds, 2));
    }

    /// <summary>The store's shared views (no copies): polling must not cost the control plane it measures.</summary>
    private static List<Pod> Pods(IObjectStore store)
        => store.ListPage(ResourceKinds.Pod, "default", null, null, 0, null).Items.Select(i => (Pod)i.Shared).ToList();

    private static DaemonSetStatus? Status(IObjectStore store) => store.Get<DaemonSet>("default", "logs")?.Status;

    private static async Task UntilAsync(Func<bool> done, CancellationToken ct)
    {
        while (!done())
        {
            await Task.Delay(20, ct);
        }
    }

    /// <summary>Marks bound Pods Running and Ready in batches of what arrived together.</summary>
    private static async Task AgentAsync(IObjectStore store, CancellationToken ct)
    {
        using var watch = store.Watch(ResourceKinds.Pod, "default", store.Revision);
        while (await watch.Events.WaitToReadAsync(ct))
        {
            var writes = new List<StoreWrite>();
            while (watch.Events.TryRead(out var e))
            {
                var pod = (Pod)e.Object.Shared;
                if (e.Type != WatchEventType.Added || string.IsNullOrEmpty(pod.Spec?.NodeName))
                {
                    continue;
                }

                var copy = store.Get<Pod>("default", pod.Metadata.Name!);
                if (copy == null || copy.Metadata.Uid != pod.Metadata.Uid)
                {
                    continue;
                }

                copy.Metadata.ResourceVersion = null;
                copy.Status = new PodStatus
                {
                    Phase = "Running",
                    Conditions = new() { new Condition { Type = "Ready", Status = "True", LastTransitionTime = DateTimeOffset.UtcNow } },
                };
                writes.Add(new StoreWrite(StoreVerb.UpdateStatus, copy));
            }

            if (writes.Count > 0)
            {
                try
                {
                    await store.CommitAsync(writes, ct);
                }
                catch (StoreException e) when (e.IsNotFound)
                {
                    // A Pod deleted meanwhile fails the batch: mark the rest one by one.
                    foreach (var w in writes)
                    {
                        try
                        {
                            await store.UpdateStatusAsync((Pod)w.Object, ct);
                        }
                        catch (StoreException e2) when (e2.IsNotFound)
                        {
                        }
                    }
                }
            }
        }
    }
}
