using System.Diagnostics;
using GitOrch.Api.Model;
using GitOrch.Engine.Scheduling;
using GitOrch.Engine.Store;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// A Deployment of 10,000 replicas on 500 hollow Nodes: from creating the Deployment to every Pod existing and bound
/// (Deployment -> ReplicaSet -> 10,000 Pods -> scheduler -> bindings, all through the store). Target <= 10 s.
/// </summary>
public static class RolloutScenario
{
    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var nodes = args.Length > 0 && char.IsDigit(args[0][0]) ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 500;
        var replicas = args.Length > 1 && char.IsDigit(args[1][0]) ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        await using var cluster = new BenchCluster();
        await cluster.CreateAsync(nodes, BenchCluster.HollowNode);
        await cluster.StartAsync(o => o.Scheduler.RecordScheduledEvents = !args.Contains("--no-events"));
        var scheduler = (Scheduler)cluster.Services.GetService(typeof(Scheduler))!;

        // Count Pods created and bound from the change feed, as a watcher would see them.
        var created = new HashSet<string>();
        var bound = new HashSet<string>();
        var allCreated = TimeSpan.Zero;
        using var watch = cluster.Store.Watch(ResourceKinds.Pod, "default", cluster.Store.Revision);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var revision = cluster.Store.Revision;
        var sw = Stopwatch.StartNew();
        await cluster.Store.CreateAsync(new Deployment
        {
            Metadata = new ObjectMeta { Name = "big", Namespace = "default" },
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "big" } },
                Template = new PodTemplateSpec { Metadata = new ObjectMeta { Labels = new() { ["app"] = "big" } }, Spec = BenchCluster.PodSpec() },
            },
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (bound.Count < replicas && await watch.Events.WaitToReadAsync(timeout.Token))
        {
            while (watch.Events.TryRead(out var e))
            {
                var pod = (Pod)e.Object.Shared;
                if (e.Type == WatchEventType.Added)
                {
                    created.Add(pod.Metadata.Name!);
                    if (created.Count == replicas)
                    {
                        allCreated = sw.Elapsed;
                    }
                }

                if (e.Type != WatchEventType.Deleted && !string.IsNullOrEmpty(pod.Spec?.NodeName))
                {
                    bound.Add(pod.Metadata.Name!);
                }
            }
        }

        sw.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var writes = cluster.Store.Revision - revision;
        var pods = cluster.Store.ListPage(ResourceKinds.Pod, "default", null, null, 0, null).Items;
        var boundInStore = pods.Count(p => !string.IsNullOrEmpty(((Pod)p.Shared).Spec?.NodeName));
        if (pods.Count != replicas || boundInStore != replicas)
        {
            throw new InvalidOperationException($"{pods.Count} pods, {boundInStore} bound; expected {replicas}");
        }

        Console.WriteLine($"{"measure",-40} {"value",12}");
        Console.WriteLine($"{"nodes / replicas",-40} {nodes + " / " + replicas,12}");
        Console.WriteLine($"{"all pods created, s",-40} {allCreated.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"all pods bound, s",-40} {sw.Elapsed.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"store writes during the rollout",-40} {writes,12}");
        Console.WriteLine($"{"process CPU time during it, s",-40} {cpuUsed.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"machine load average (1 min)",-40} {File.ReadAllText("/proc/loadavg").Split(' ')[0],12}");
        Console.WriteLine($"{"pods per node (max)",-40} {pods.GroupBy(p => ((Pod)p.Shared).Spec!.NodeName).Max(g => g.Count()),12}");
        Console.WriteLine($"{"scheduler",-40} {scheduler.Metrics}");
        return new BenchResult("rollout").Add("seconds", Math.Round(sw.Elapsed.TotalSeconds, 2));
    }
}
