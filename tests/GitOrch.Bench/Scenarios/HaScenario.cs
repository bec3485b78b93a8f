using System.Collections.Concurrent;
using System.Diagnostics;
using dotnet_etcd;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Store.Etcd;
using GitOrch.Tests.Infrastructure.Etcd;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// Several Engines on a real three-member etcd (Debian's etcd-server, in /dev/shm): store writes/s with 16 writers
/// through GitOrch next to the raw etcd client putting the same bytes in the same run; watch delivery from one
/// Engine's write to another Engine's watcher; and leader failover, from SIGKILL of the leading <c>gitorch server</c>
/// process to the first reconcile by its successor (a Deployment created after the kill gets its ReplicaSet).
/// Options: <c>--writes N</c> (default 4000), <c>--kills N</c> (default 10); <c>--lease-duration</c>,
/// <c>--renew-deadline</c> and <c>--retry-period</c> are passed to the Engines (default: the Engine's 6s/2s/1s).
/// </summary>
public static class HaScenario
{
    private const int Writers = 16;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var writes = IntArg(args, "--writes", 4000);
        var kills = IntArg(args, "--kills", 10);
        using var cluster = await EtcdCluster.StartAsync();
        var raw = await RawPutsAsync(cluster, writes);
        var ours = await StoreWritesAsync(cluster, writes);
        var watchP99 = await WatchDelayP99Async(cluster, 2000);
        var failovers = await HaFailover.MeasureAsync(cluster, kills, ElectionArgs(args));
        failovers.Sort();
        var p50 = failovers.Count == 0 ? double.NaN : failovers[failovers.Count / 2];
        var max = failovers.Count == 0 ? double.NaN : failovers[^1];

        Console.WriteLine($"{"measure",-46} {"value",12}");
        Console.WriteLine($"{"GitOrch store on etcd, 16 writers (writes/s)",-46} {ours,12:0}");
        Console.WriteLine($"{"raw etcd client puts, 16 writers (puts/s)",-46} {raw,12:0}");
        Console.WriteLine($"{"ratio",-46} {ours / raw,12:0.00}");
        Console.WriteLine($"{"watch delivery to another Engine, p99 (ms)",-46} {watchP99,12:0.0}");
        Console.WriteLine($"{"failover SIGKILL -> first reconcile, p50 (s)",-46} {p50,12:0.00}");
        Console.WriteLine($"{"failover, max (s)",-46} {max,12:0.00}");
        Console.WriteLine($"failovers (s): {string.Join(" ", failovers.Select(f => f.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        return new BenchResult("ha")
            .Add("writes_per_s", Math.Round(ours))
            .Add("raw_etcd_per_s", Math.Round(raw))
            .Add("ratio", Math.Round(ours / raw, 2))
            .Add("failover_p50_s", Math.Round(p50, 2))
            .Add("failover_max_s", Math.Round(max, 2))
            .Add("watch_p99_ms", Math.Round(watchP99, 1));
    }

    private static ConfigMap Sample(int i) => new()
    {
        Metadata = new ObjectMeta { Name = $"cm-{i:D6}", Namespace = "default", Labels = new() { ["app"] = "bench", ["shard"] = (i % 16).ToString() } },
        Data = new() { ["payload"] = new string('x', 120) },
    };

    private static EtcdStoreOptions Options(EtcdCluster cluster, string prefix)
    {
        var o = new EtcdStoreOptions { Prefix = prefix };
        o.Endpoints.AddRange(cluster.Endpoints);
        return o;
    }

    private static async Task<double> RawPutsAsync(EtcdCluster cluster, int total)
    {
        using var client = new EtcdClient(string.Join(",", cluster.Endpoints.Select(e => e.ToString().TrimEnd('/'))));
        var bytes = Enumerable.Range(0, total).Select(i => KubeJson.SerializeToUtf8(Sample(i), typeof(ConfigMap))).ToArray();
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                await client.PutAsync(new Etcdserverpb.PutRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("/raw/configmaps/default/cm-" + i), Value = Google.Protobuf.ByteString.CopyFrom(bytes[i]) });
            }
        })));
        return total / sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> StoreWritesAsync(EtcdCluster cluster, int total)
    {
        using var store = await EtcdObjectStore.OpenAsync(Options(cluster, "/bench-writes"));
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                await store.CreateAsync(Sample(i));
            }
        })));
        return total / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Engine A writes (4 writers), Engine B watches: milliseconds from A's call to B's event, p99.</summary>
    private static async Task<double> WatchDelayP99Async(EtcdCluster cluster, int total)
    {
        using var a = await EtcdObjectStore.OpenAsync(Options(cluster, "/bench-watch"));
        using var b = await EtcdObjectStore.OpenAsync(Options(cluster, "/bench-watch"));
        var sent = new ConcurrentDictionary<string, long>();
        var delays = new ConcurrentBag<double>();
        using var watch = b.Watch(ResourceKinds.ConfigMap, "default", 0);
        var seen = 0;
        var reader = Task.Run(async () =>
        {
            while (seen < total && await watch.Events.WaitToReadAsync())
            {
                while (watch.Events.TryRead(out var e))
                {
                    if (sent.TryGetValue(e.Object.Name, out var at))
                    {
                        delays.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                        seen++;
                    }
                }
            }
        });
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var cm = Sample(i);
                sent[cm.Metadata.Name!] = Stopwatch.GetTimestamp();
                await a.CreateAsync(cm);
            }
        })));
        await reader.WaitAsync(TimeSpan.FromSeconds(30));
        var sorted = delays.OrderBy(d => d).ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * 0.99) - 1)];
    }

    private static List<string> ElectionArgs(string[] args)
    {
        var passed = new List<string>();
        foreach (var flag in new[] { "--lease-duration", "--renew-deadline", "--retry-period" })
        {
            var i = Array.IndexOf(args, flag);
            if (i >= 0 && i + 1 < args.Length)
            {
                passed.Add(flag);
                passed.Add(args[i + 1]);
            }
        }

        return passed;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
