using System.Diagnostics;
using GitOrch.Api.Model;
using GitOrch.Engine.Store.Etcd;
using GitOrch.Tests.Infrastructure.Etcd;

namespace GitOrch.Bench.Scenarios;

/// <summary>The failover part of <see cref="HaScenario"/>: three <c>gitorch server</c> processes, the leader SIGKILLed again and again.</summary>
internal static class HaFailover
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<List<double>> MeasureAsync(EtcdCluster cluster, int kills, IReadOnlyList<string> serverArgs)
    {
        var root = Path.Combine(Path.GetTempPath(), "gitorch-bench-ha-" + Guid.NewGuid().ToString("N")[..8]);
        var engines = new BenchProcess?[3];
        var prefix = "/bench-failover";
        var observerOptions = new EtcdStoreOptions { Prefix = prefix };
        observerOptions.Endpoints.AddRange(cluster.Endpoints);
        var results = new List<double>();
        try
        {
            for (var i = 0; i < engines.Length; i++)
            {
                engines[i] = await StartEngineAsync(cluster, prefix, Path.Combine(root, "e" + i), serverArgs);
            }

            using var observer = await EtcdObjectStore.OpenAsync(observerOptions);
            for (var k = 0; k < kills; k++)
            {
                var holder = await WaitForHolderAsync(observer, null);
                var leader = Array.FindIndex(engines, e => e != null && e.Output.ToList().Any(l => l.Contains(holder + " became the leader", StringComparison.Ordinal)));
                if (leader < 0)
                {
                    throw new InvalidOperationException($"no engine process printed that {holder} became the leader");
                }

                engines[leader]!.Process.Kill();
                var killed = Stopwatch.StartNew();
                var probe = $"probe-{k}";
                await observer.CreateAsync(new Deployment
                {
                    Metadata = new ObjectMeta { Name = probe, Namespace = "default" },
                    Spec = new DeploymentSpec
                    {
                        Replicas = 0,
                        Selector = new LabelSelector { MatchLabels = new() { ["app"] = probe } },
                        Template = new PodTemplateSpec { Metadata = new ObjectMeta { Labels = new() { ["app"] = probe } }, Spec = new PodSpec { Containers = { new Container { Name = "main", Image = "busybox" } } } },
                    },
                });
                while (!observer.List<ReplicaSet>("default").Any(rs => rs.Metadata.OwnerReferences?.Any(o => o.Name == probe) == true))
                {
                    if (killed.Elapsed > Deadline)
                    {
                        throw new TimeoutException($"no Engine reconciled {probe} within {Deadline.TotalSeconds} s of the leader's SIGKILL");
                    }

                    await Task.Delay(20);
                }

                results.Add(killed.Elapsed.TotalSeconds);
                Console.WriteLine($"kill {k + 1}/{kills}: failover {killed.Elapsed.TotalSeconds:0.00} s");
                await engines[leader]!.DisposeAsync();
                engines[leader] = await StartEngineAsync(cluster, prefix, Path.Combine(root, "e" + leader), serverArgs);
            }
        }
        finally
        {
            foreach (var e in engines)
            {
                if (e != null)
                {
                    await e.DisposeAsync();
                }
            }

            try
            {
                Directory.Delete(root, true);
            }
            catch (IOException)
            {
            }
        }

        return results;
    }

    private static async Task<BenchProcess> StartEngineAsync(EtcdCluster cluster, string prefix, string dataDir, IReadOnlyList<string> serverArgs)
    {
        var port = BenchProcess.FreePort("127.0.0.1");
        var args = new List<string> { "server", "--data-dir", dataDir, "--listen", "127.0.0.1:" + port, "--datastore", cluster.Datastore, "--datastore-prefix", prefix, "--log-level", "Information" };
        args.AddRange(serverArgs);
        var p = BenchProcess.Start(BenchProcess.Executable(), null, args.ToArray());
        await p.WaitReadyAsync(new Uri($"https://127.0.0.1:{port}"), TimeSpan.FromSeconds(30));
        return p;
    }

    private static async Task<string> WaitForHolderAsync(EtcdObjectStore observer, string? not)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var holder = observer.Get<Lease>("gitorch-system", "gitorch-controllers")?.Spec?.HolderIdentity;
            if (!string.IsNullOrEmpty(holder) && holder != not)
            {
                return holder;
            }

            if (sw.Elapsed > Deadline)
            {
                throw new TimeoutException("no Engine took the lease");
            }

            await Task.Delay(20);
        }
    }
}
