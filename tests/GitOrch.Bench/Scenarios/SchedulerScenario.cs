using System.Diagnostics;
using GitOrch.Api.Model;
using GitOrch.Engine.Scheduling;
using GitOrch.Engine.Store;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// Kubernetes' SchedulingBasic/5000Nodes_10000Pods: 5,000 Nodes and 10,000 pending Pods already in the store; the
/// scheduler starts (informers list everything), places and binds every Pod, each binding persisted in LiteDB.
/// pods_per_s = 10,000 / (scheduler start to last binding committed). Target >= 2,700 (10x Kubernetes' CI floor).
/// </summary>
public static class SchedulerScenario
{
    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var nodes = args.Length > 0 && char.IsDigit(args[0][0]) ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5_000;
        var pods = args.Length > 1 && char.IsDigit(args[1][0]) ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        await using var cluster = new BenchCluster();
        CoreOnly(nodes, pods);
        var setupCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var setup = Stopwatch.StartNew();
        await cluster.CreateAsync(nodes, BenchCluster.HollowNode);
        await cluster.CreateAsync(pods, i => new Pod
        {
            Metadata = new ObjectMeta { Name = $"pod-{i:D6}", Namespace = "default", Labels = new() { ["app"] = "bench" } },
            Spec = BenchCluster.PodSpec(),
        });
        setup.Stop();
        setupCpu = Process.GetCurrentProcess().TotalProcessorTime - setupCpu;

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await cluster.StartAsync(o =>
        {
            o.EnableGarbageCollector = false;
            o.Scheduler.RecordScheduledEvents = !args.Contains("--no-events");
        });
        var scheduler = (Scheduler)cluster.Services.GetService(typeof(Scheduler))!;
        var firstBound = TimeSpan.Zero;
        var allScheduled = TimeSpan.Zero;
        while (scheduler.Metrics.Bound < pods)
        {
            if (allScheduled == TimeSpan.Zero && scheduler.Metrics.Scheduled >= pods)
            {
                allScheduled = sw.Elapsed;
            }

            if (firstBound == TimeSpan.Zero && scheduler.Metrics.Bound > 0)
            {
                firstBound = sw.Elapsed;
            }

            if (sw.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"only {scheduler.Metrics.Bound}/{pods} bound after 5 minutes: {scheduler.Metrics}");
            }

            await Task.Delay(5);
        }

        sw.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var persisted = cluster.Store.ListPage(ResourceKinds.Pod, "default", null, o => !string.IsNullOrEmpty(((Pod)o).Spec?.NodeName), 0, null).Items.Count;
        if (persisted != pods)
        {
            throw new InvalidOperationException($"{persisted}/{pods} bindings found in the store");
        }

        var rate = pods / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"{"measure",-40} {"value",12}");
        Console.WriteLine($"{"nodes / pods",-40} {nodes + " / " + pods,12}");
        Console.WriteLine($"{"setup (store writes), s",-40} {setup.Elapsed.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"setup CPU (15k creates in batches), s",-40} {setupCpu.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"start to first binding, s",-40} {firstBound.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"start to last placement decided, s",-40} {allScheduled.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"start to last binding, s",-40} {sw.Elapsed.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"bindings persisted",-40} {persisted,12}");
        Console.WriteLine($"{"process CPU time during it, s",-40} {cpuUsed.TotalSeconds,12:0.00}");
        Console.WriteLine($"{"machine load average (1 min)",-40} {LoadAverage(),12}");
        Console.WriteLine($"{"scheduler",-40} {scheduler.Metrics}");
        Console.WriteLine($"{"pods/s",-40} {rate,12:0}");
        return new BenchResult("scheduler").Add("pods_per_s", Math.Round(rate));
    }

    /// <summary>The placement decisions alone (filters, scores, assume), in memory: the scheduler's own cost.</summary>
    private static void CoreOnly(int nodes, int pods)
    {
        var framework = new SchedulingFramework(new SchedulerOptions());
        var infos = Enumerable.Range(0, nodes).Select(i => new NodeInfo(BenchCluster.HollowNode(i), 110)).ToList();
        var podInfos = Enumerable.Range(0, pods).Select(i => new PodInfo(new Pod
        {
            Metadata = new ObjectMeta { Name = $"pod-{i:D6}", Namespace = "default", Uid = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Spec = BenchCluster.PodSpec(),
        })).ToList();
        var sw = Stopwatch.StartNew();
        foreach (var p in podInfos)
        {
            framework.Schedule(p, infos, out _)!.AddPod(p);
        }

        sw.Stop();
        Console.WriteLine($"{"decisions only (in memory), pods/s",-40} {pods / sw.Elapsed.TotalSeconds,12:0}");
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
