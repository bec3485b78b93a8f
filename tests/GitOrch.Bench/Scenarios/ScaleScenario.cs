using System.Diagnostics;
using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Bench.Hollow;
using GitOrch.Engine.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// 200 hollow agents (real <see cref="AgentHost"/>s: Node heartbeats, Pod watches, Pod workers, status writes and
/// events over HTTP, with a <see cref="RecordingRuntime"/> instead of Docker) and one Engine (HTTP API,
/// controllers, scheduler, source controller) in this process. One commit with 50 Deployments x 100 replicas is
/// applied by a GitSource; timed from the GitSource's creation until all 5,000 Pods report Running, while a
/// parallel loop times single-object GETs through the API.
/// </summary>
public static class ScaleScenario
{
    private const int Agents = 200;
    private const int Deployments = 50;
    private const int Replicas = 100;
    private const int Pods = Deployments * Replicas;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var root = Path.Combine(Path.GetTempPath(), "gitorch-bench-scale-" + Guid.NewGuid().ToString("N"));
        var repo = BenchRepo.Create(Path.Combine(root, "git"));
        for (var d = 0; d < Deployments; d++)
        {
            repo.Write($"apps/scale-{d:D2}.yaml", Deployment(d));
        }

        repo.CommitAndPush($"{Deployments} Deployments x {Replicas} replicas");
        var record = new RuntimeRecord();
        var agents = new List<AgentHost>();
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        try
        {
            await using var host = await EngineHost.StartAsync(new EngineOptions { DataDir = Path.Combine(root, "data"), Listen = "127.0.5.1:0", LogLevel = LogLevel.Warning });
            var store = host.Store;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < Agents; i += 20)
            {
                agents.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(20, Agents - i)).Select(n => AgentHost.StartAsync(new AgentOptions
                {
                    Server = host.BaseUrl,
                    Token = host.Tokens.Agent,
                    NodeName = $"hollow-{n:D3}",
                    NodeIP = $"127.0.{6 + (n / 250)}.{1 + (n % 250)}",
                    DataDir = Path.Combine(root, "agents", n.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)),
                    RuntimeFactory = _ => new RecordingRuntime(record),
                    ServiceProxy = false,
                    LogEndpoint = false,
                }, loggers))));
            }

            await WaitAsync(() => store.List<Node>(where: Ready).Count >= Agents, TimeSpan.FromMinutes(2), "hollow nodes Ready");
            Console.WriteLine($"{Agents} hollow agents registered and Ready in {sw.Elapsed.TotalSeconds:0.0}s");

            // The GET loop runs from before the commit is applied until every Pod runs: p99 over the whole rollout.
            using var stopGets = new CancellationTokenSource();
            using var client = new GitOrchClient(host.BaseUrl, host.Tokens.Admin);
            await client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "probe", Namespace = "default" }, Data = new() { ["k"] = "v" } });
            var latencies = new List<double>();
            var gets = GetLoopAsync(client, store, latencies, stopGets.Token);

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            sw.Restart();
            await client.CreateAsync(new GitSource
            {
                Metadata = new ObjectMeta { Name = "scale", Namespace = "default" },
                Spec = new GitSourceSpec { Url = repo.FileUrl, Interval = "1h" },
            });
            double created = 0, scheduled = 0, lastReport = 0;
            await WaitAsync(() =>
            {
                var pods = store.List<Pod>("default");
                var running = pods.Count(p => p.Status?.Phase == "Running");
                if (created == 0 && pods.Count >= Pods)
                {
                    created = sw.Elapsed.TotalSeconds;
                }

                if (scheduled == 0 && pods.Count(p => !string.IsNullOrEmpty(p.Spec?.NodeName)) >= Pods)
                {
                    scheduled = sw.Elapsed.TotalSeconds;
                }

                if (sw.Elapsed.TotalSeconds - lastReport >= 5)
                {
                    lastReport = sw.Elapsed.TotalSeconds;
                    Console.WriteLine($"  {lastReport,5:0}s: {pods.Count} pods, {pods.Count(p => !string.IsNullOrEmpty(p.Spec?.NodeName))} bound, {running} Running");
                }

                return running >= Pods;
            }, TimeSpan.FromMinutes(10), $"{Pods} Pods Running");
            var allRunning = sw.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            await stopGets.CancelAsync();
            await gets;

            var perNode = store.List<Pod>("default").GroupBy(p => p.Spec!.NodeName).Select(g => g.Count()).ToList();
            var p99 = Stats.Percentile(latencies, 99);
            Console.WriteLine($"runtime calls: {record}");
            Console.WriteLine($"{"measure",-46} {"value",10}");
            Console.WriteLine($"{"all " + Pods + " Pods created (s)",-46} {created,10:0.00}");
            Console.WriteLine($"{"all Pods bound (s)",-46} {scheduled,10:0.00}");
            Console.WriteLine($"{"all Pods Running (s)",-46} {allRunning,10:0.00}");
            Console.WriteLine($"{"process CPU during rollout (s)",-46} {cpuSeconds,10:0.00}");
            Console.WriteLine($"{"pods per node min/max",-46} {perNode.Min(),5}/{perNode.Max(),-4}");
            Console.WriteLine($"{"GET p50 / p99 / max (ms, " + latencies.Count + " GETs)",-46} {Stats.Percentile(latencies, 50),6:0.0} / {p99:0.0} / {latencies.Max():0.0}");
            return new BenchResult("scale")
                .Add("all_running_s", Math.Round(allRunning, 2))
                .Add("get_p99_ms", Math.Round(p99, 1));
        }
        finally
        {
            // Agents first: each stops its workers and watch while the Engine still answers.
            await Task.WhenAll(agents.Select(a => a.DisposeAsync().AsTask()));
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Sequential GETs, one every ~20 ms: a Pod by name once Pods exist (the ConfigMap "probe" before).</summary>
    private static async Task GetLoopAsync(GitOrchClient client, Engine.Store.IObjectStore store, List<double> latencies, CancellationToken ct)
    {
        var random = new Random(42);
        IReadOnlyList<Pod> pods = [];
        var sw = new Stopwatch();
        var i = 0;
        while (!ct.IsCancellationRequested)
        {
            if (i++ % 100 == 0)
            {
                pods = store.List<Pod>("default");
            }

            try
            {
                sw.Restart();
                if (pods.Count == 0)
                {
                    await client.GetAsync<ConfigMap>("default", "probe", ct);
                }
                else
                {
                    await client.TryGetAsync<Pod>("default", pods[random.Next(pods.Count)].Name, ct);
                }

                latencies.Add(sw.Elapsed.TotalMilliseconds);
                await Task.Delay(20, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static bool Ready(Node n) => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static string Deployment(int d) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: scale-{d:D2}
          namespace: default
        spec:
          replicas: {Replicas}
          selector:
            matchLabels:
              app: scale-{d:D2}
          template:
            metadata:
              labels:
                app: scale-{d:D2}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: registry.local/hollow:1
                command: ["sleep", "3600"]
        """;

    private static async Task WaitAsync(Func<bool> done, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!done())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(250);
        }
    }
}
