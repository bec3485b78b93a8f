using System.Diagnostics;
using System.Globalization;
using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Bench.Hollow;
using Microsoft.Extensions.Logging;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// One Engine (the real <c>gitorch server</c> process: HTTP API, controllers, scheduler, source controller) and 200
/// hollow agents in a second process (real <see cref="AgentHost"/>s: Node heartbeats, Pod watches, Pod workers,
/// status writes and events over HTTP, with a <see cref="RecordingRuntime"/> instead of Docker). One commit with
/// 50 Deployments x 100 replicas is applied by a GitSource; timed from the GitSource's creation until a watch sees
/// all 5,000 Pods Running, while a parallel loop (this process, a third one) times single-object GETs of Pods.
/// <c>--env NAME=VALUE</c> (repeatable) sets runtime knobs on the Engine process, to try them;
/// <c>GITORCH_BENCH_PAUSE_S=N</c> holds the Engine with its 5,000 Pods for N seconds at the end (attach a heap inspector).
/// Three processes, so neither the agents' nor the observer's garbage collections land in the Engine's figures.
/// </summary>
public static class ScaleScenario
{
    private const int Agents = 200;
    private const int Deployments = 50;
    private const int Replicas = 100;
    private const int Pods = Deployments * Replicas;
    private const string EngineIP = "127.0.5.1";
    private const string ChildMode = "--hollow-agents";

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        if (args.Length >= 4 && args[0] == ChildMode)
        {
            return await RunAgentsAsync(new Uri(args[1]), args[2], args[3]);
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--env" && args[i + 1].Split('=', 2) is [var k, var v])
            {
                env[k] = v;
            }
        }

        var root = Path.Combine(Path.GetTempPath(), "gitorch-bench-scale-" + Guid.NewGuid().ToString("N"));
        var repo = BenchRepo.Create(Path.Combine(root, "git"));
        for (var d = 0; d < Deployments; d++)
        {
            repo.Write($"apps/scale-{d:D2}.yaml", Deployment(d));
        }

        repo.CommitAndPush($"{Deployments} Deployments x {Replicas} replicas");
        BenchProcess? engine = null;
        BenchProcess? agents = null;
        try
        {
            var url = new Uri($"https://{EngineIP}:{BenchProcess.FreePort(EngineIP)}");
            var data = Path.Combine(root, "data");
            engine = BenchProcess.Start(BenchProcess.Executable(), env, "server", "--data-dir", data, "--listen", $"{url.Host}:{url.Port}", "--log-level", "Error");
            await engine.WaitReadyAsync(url, TimeSpan.FromSeconds(60));
            var adminToken = (await File.ReadAllTextAsync(Path.Combine(data, "admin.token"))).Trim();
            using var client = BenchTls.Client(url, data);
            var ca = BenchTls.Ca(data);

            var sw = Stopwatch.StartNew();
            agents = BenchProcess.Start("dotnet", null, typeof(ScaleScenario).Assembly.Location, "scale", ChildMode, url.ToString(), Path.Combine(data, "agent.token"), Path.Combine(root, "agents"));
            await agents.WaitAsync(() => Task.FromResult(agents.Output.Contains("READY")), TimeSpan.FromMinutes(3), "hollow agents started", 100);
            await agents.WaitAsync(async () => (await client.ListAsync<Node>()).Items.Count(Ready) >= Agents, TimeSpan.FromMinutes(2), "hollow Nodes Ready", 250);
            Console.WriteLine($"{Agents} hollow agents registered and Ready in {sw.Elapsed.TotalSeconds:0.0}s");
            await client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "probe", Namespace = "default" }, Data = new() { ["k"] = "v" } });

            // Baseline on this (possibly shared) machine: the same GETs while the 200 agents only heartbeat.
            var idle = new List<(TimeSpan At, double Ms)>();
            using (var idleStop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                await GetLoopAsync(url, ca, adminToken, new PodTracker(0), idle, Stopwatch.StartNew(), idleStop.Token);
            }

            using var stop = new CancellationTokenSource();
            var tracker = new PodTracker(Pods);
            var watch = tracker.WatchAsync(client, stop.Token);
            var samples = new List<(TimeSpan At, double Ms)>();
            var clock = Stopwatch.StartNew();
            var gets = GetLoopAsync(url, ca, adminToken, tracker, samples, clock, stop.Token);

            var cpu = engine.Process.TotalProcessorTime;
            sw.Restart();
            tracker.Restart();
            var origin = clock.Elapsed;
            await client.CreateAsync(new GitSource
            {
                Metadata = new ObjectMeta { Name = "scale", Namespace = "default" },
                Spec = new GitSourceSpec { Url = repo.FileUrl, Interval = "1h" },
            });
            var lastReport = 0.0;
            await engine.WaitAsync(() =>
            {
                if (sw.Elapsed.TotalSeconds - lastReport >= 5)
                {
                    lastReport = sw.Elapsed.TotalSeconds;
                    Console.WriteLine($"  {lastReport,5:0}s: {tracker.Seen} pods, {tracker.Bound} bound, {tracker.Running} Running");
                }

                return Task.FromResult(tracker.AllRunning.IsCompleted);
            }, TimeSpan.FromMinutes(10), $"{Pods} Pods Running", 50);
            var allRunning = tracker.AllRunningAt.TotalSeconds;
            engine.Process.Refresh();
            var engineCpu = (engine.Process.TotalProcessorTime - cpu).TotalSeconds;
            var engineMem = Memory.Of(engine.Process.Id);

            await stop.CancelAsync();
            await gets;
            await watch;
            if (int.TryParse(Environment.GetEnvironmentVariable("GITORCH_BENCH_PAUSE_S"), out var pause))
            {
                // Diagnosis: time to attach a heap inspector to the Engine while it holds 5,000 Pods.
                Console.WriteLine($"PAUSED engine pid {engine.Process.Id} for {pause}s");
                await Task.Delay(TimeSpan.FromSeconds(pause));
            }

            var latencies = samples.Select(s => s.Ms).ToList();
            var p99 = Stats.Percentile(latencies, 99);
            Console.WriteLine("slowest GETs (s after the GitSource was created: ms): " + string.Join(", ", samples.OrderByDescending(s => s.Ms).Take(8).Select(s => $"{(s.At - origin).TotalSeconds:0.0}: {s.Ms:0}")));
            Console.WriteLine($"{"measure",-46} {"value",10}");
            Console.WriteLine($"{"all " + Pods + " Pods created (s)",-46} {tracker.AllSeenAt.TotalSeconds,10:0.00}");
            Console.WriteLine($"{"all Pods bound (s)",-46} {tracker.AllBoundAt.TotalSeconds,10:0.00}");
            Console.WriteLine($"{"all Pods Running (s)",-46} {allRunning,10:0.00}");
            Console.WriteLine($"{"engine CPU during rollout (s)",-46} {engineCpu,10:0.00}");
            Console.WriteLine($"{"engine RSS with 5,000 Pods (MB)",-46} {engineMem.RssMb,10:0.0}   {engineMem}");
            Console.WriteLine($"{"pods per node min/max",-46} {tracker.PerNodeMin,5}/{tracker.PerNodeMax,-4}");
            Console.WriteLine($"{"idle GET p50 / p99 (ms, " + idle.Count + " GETs, heartbeats only)",-46} {Stats.Percentile(idle.Select(s => s.Ms).ToList(), 50),6:0.0} / {Stats.Percentile(idle.Select(s => s.Ms).ToList(), 99):0.0}");
            Console.WriteLine($"{"GET p50 / p99 / max (ms, " + latencies.Count + " GETs)",-46} {Stats.Percentile(latencies, 50),6:0.0} / {p99:0.0} / {latencies.Max():0.0}");
            return new BenchResult("scale")
                .Add("all_running_s", Math.Round(allRunning, 2))
                .Add("get_p99_ms", Math.Round(p99, 1));
        }
        finally
        {
            // Agents first (EOF on their stdin), while the Engine still answers.
            if (agents != null)
            {
                agents.Process.StandardInput.Close();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                try
                {
                    await agents.Process.WaitForExitAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                }

                foreach (var line in agents.Output.Where(l => l.StartsWith("runtime calls", StringComparison.Ordinal)))
                {
                    Console.WriteLine(line);
                }

                await agents.DisposeAsync();
            }

            if (engine != null)
            {
                await engine.DisposeAsync();
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The child process: 200 hollow agents until stdin closes.</summary>
    private static async Task<BenchResult> RunAgentsAsync(Uri server, string tokenFile, string dir)
    {
        var token = (await File.ReadAllTextAsync(tokenFile)).Trim();
        var ca = BenchTls.Ca(Path.GetDirectoryName(tokenFile)!);
        var record = new RuntimeRecord();
        var agents = new List<AgentHost>();
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        for (var i = 0; i < Agents; i += 20)
        {
            agents.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(20, Agents - i)).Select(n => AgentHost.StartAsync(new AgentOptions
            {
                Server = server,
                Token = token,
                Ca = ca,
                NodeName = $"hollow-{n:D3}",
                NodeIP = $"127.0.{6 + (n / 250)}.{1 + (n % 250)}",
                DataDir = Path.Combine(dir, n.ToString("D3", CultureInfo.InvariantCulture)),
                RuntimeFactory = _ => new RecordingRuntime(record),
                ServiceProxy = false,
                LogEndpoint = false,
            }, loggers))));
        }

        Console.WriteLine("READY");
        while (await Console.In.ReadLineAsync() != null)
        {
        }

        await Task.WhenAll(agents.Select(a => a.DisposeAsync().AsTask()));
        Console.WriteLine($"runtime calls (all hollow agents): {record}");
        return new BenchResult("scale-agents").Add("creates", record.Creates).Add("starts", record.Starts);
    }

    /// <summary>
    /// Sequential GETs of a random known Pod (the ConfigMap "probe" before any exists), one every ~20 ms, on a thread
    /// of its own with blocking I/O: this process also decodes a watch of every Pod, and a GET's completion must not
    /// queue behind that work in this process's thread pool, or the figure would be the observer's, not the Engine's.
    /// </summary>
    private static Task GetLoopAsync(Uri server, Api.Client.Tls.EngineCa ca, string token, PodTracker tracker, List<(TimeSpan At, double Ms)> samples, Stopwatch clock, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var http = BenchTls.Http(server, ca);
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                var random = new Random(42);
                var sw = new Stopwatch();
                while (!ct.IsCancellationRequested)
                {
                    var name = tracker.RandomName(random);
                    var path = name == null ? "/api/v1/namespaces/default/configmaps/probe" : "/api/v1/namespaces/default/pods/" + name;
                    var at = clock.Elapsed;
                    sw.Restart();
                    using (var response = http.Send(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseContentRead))
                    {
                        response.EnsureSuccessStatusCode();
                    }

                    samples.Add((at, sw.Elapsed.TotalMilliseconds));
                    ct.WaitHandle.WaitOne(20);
                }

                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = "bench GET loop" };
        thread.Start();
        return done.Task;
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
}
