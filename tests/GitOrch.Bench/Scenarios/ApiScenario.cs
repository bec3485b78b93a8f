using System.Collections.Concurrent;
using System.Diagnostics;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Engine.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// The HTTP API end to end on loopback: create latency with 16 concurrent clients (each its own GitOrchClient and
/// connection) over HTTPS, and the same run over a plain-HTTP listener that only benchmarks open
/// (<see cref="EngineOptions.BenchmarkPlainListen"/>) to show what TLS costs (<c>tls_ratio</c> = HTTPS p99 / plain p99);
/// watch delivery latency to 100 concurrent watchers, measured from the moment the store publishes the committed
/// change to the moment each watcher has decoded the event (the end-to-end figure, from the create request being
/// sent, is printed in the table as well); and <c>kubectl apply -f</c> of 100 ConfigMaps with only the kubeconfig.
/// </summary>
public static class ApiScenario
{
    private const int Clients = 16;
    private const int CreatesPerClient = 400;
    private const int Warmup = 50;
    private const int Watchers = 100;
    private const int WatchedWrites = 200;
    private const int KubectlObjects = 100;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-api-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new EngineOptions { DataDir = dir, Listen = "127.0.0.1:0", StartComponents = false, LogLevel = LogLevel.Warning, BenchmarkPlainListen = "127.0.0.1:0" };
            await using var host = await EngineHost.StartAsync(options);
            var cpu0 = Environment.CpuUsage.TotalTime;
            var storeOnly = await StoreCreateLatencyAsync(host);
            var cpu1 = Environment.CpuUsage.TotalTime;
            var create = await CreateLatencyAsync(() => new GitOrchClient(host.BaseUrl, host.Tokens.Admin, host.Ca), "tls");
            var cpu2 = Environment.CpuUsage.TotalTime;
            var plain = await CreateLatencyAsync(() => new GitOrchClient(host.PlainBaseUrl!, host.Tokens.Admin), "plain");
            var (watchFromCommit, watchEndToEnd) = await WatchLatencyAsync(host);
            var kubectlSeconds = await KubectlApplyAsync(host, dir);

            Console.WriteLine($"{"measure",-44} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
            Row($"create over HTTPS, {Clients} concurrent clients ({create.Count})", create);
            Row($"  same over plain HTTP (bench-only listener)", plain);
            Row($"  same through the store, no HTTP", storeOnly);
            // CPU per create does not depend on what else runs on the machine, unlike latency on a shared box.
            Console.WriteLine($"{"cpu per create, store only / over HTTP (ms)",-44} {(cpu1 - cpu0).TotalMilliseconds / storeOnly.Count,8:0.000} {(cpu2 - cpu1).TotalMilliseconds / (create.Count + (Clients * Warmup)),8:0.000}");
            Row($"watch delivery from commit, {Watchers} watchers ({watchFromCommit.Count})", watchFromCommit);
            Row($"watch delivery from request, {Watchers} watchers", watchEndToEnd);
            var tlsRatio = Stats.Percentile(create, 99) / Stats.Percentile(plain, 99);
            Console.WriteLine($"{"create p99 HTTPS / plain HTTP",-44} {tlsRatio,8:0.00}");
            Console.WriteLine($"{$"kubectl apply -f of {KubectlObjects} ConfigMaps (s)",-44} {(kubectlSeconds < 0 ? "n/a (no kubectl on PATH)" : kubectlSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)),8}");
            return new BenchResult("api")
                .Add("create_p50_ms", Math.Round(Stats.Percentile(create, 50), 2))
                .Add("create_p99_ms", Math.Round(Stats.Percentile(create, 99), 2))
                .Add("watch_p99_ms", Math.Round(Stats.Percentile(watchFromCommit, 99), 2))
                .Add("tls_ratio", Math.Round(tlsRatio, 2))
                .Add("kubectl_apply_100_s", Math.Round(kubectlSeconds, 2));
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Row(string name, IReadOnlyList<double> ms)
        => Console.WriteLine($"{name,-44} {Stats.Percentile(ms, 50),8:0.00} {Stats.Percentile(ms, 99),8:0.00} {ms.Max(),8:0.00}");

    private static ConfigMap Sample(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["app"] = "bench" } },
        Data = new() { ["payload"] = new string('x', 120) },
    };

    /// <summary>The same load straight into the store, in-process: what of the create latency is not HTTP.</summary>
    private static async Task<List<double>> StoreCreateLatencyAsync(EngineHost host)
    {
        var latencies = new ConcurrentBag<double>();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
        {
            for (var n = 0; n < CreatesPerClient; n++)
            {
                var start = Stopwatch.GetTimestamp();
                await host.Store.CreateAsync(Sample($"direct-{i}-{n}"));
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return latencies.ToList();
    }

    /// <param name="newClient">Each concurrent client gets its own (and so its own connection).</param>
    /// <param name="prefix">Keeps the names of one run apart from another's.</param>
    private static async Task<List<double>> CreateLatencyAsync(Func<GitOrchClient> newClient, string prefix)
    {
        var clients = Enumerable.Range(0, Clients).Select(_ => newClient()).ToList();
        try
        {
            // Warm up connections, JIT and the store before measuring.
            await Task.WhenAll(clients.Select((c, i) => Task.Run(async () =>
            {
                for (var n = 0; n < Warmup; n++)
                {
                    await c.CreateAsync(Sample($"{prefix}-warm-{i}-{n}"));
                }
            })));

            var latencies = new ConcurrentBag<double>();
            await Task.WhenAll(clients.Select((c, i) => Task.Run(async () =>
            {
                for (var n = 0; n < CreatesPerClient; n++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await c.CreateAsync(Sample($"{prefix}-cm-{i}-{n}"));
                    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            })));
            return latencies.ToList();
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<(List<double> FromCommit, List<double> FromRequest)> WatchLatencyAsync(EngineHost host)
    {
        using var client = new GitOrchClient(host.BaseUrl, host.Tokens.Admin, host.Ca);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var from = host.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // The moment each change is published by the store, observed in-process.
        var committed = new ConcurrentDictionary<string, long>();
        var requested = new ConcurrentDictionary<string, long>();
        using var storeWatch = host.Store.Watch(Api.Model.ResourceKinds.Secret, "default", 0);
        var observer = Task.Run(async () =>
        {
            await foreach (var e in storeWatch.Events.ReadAllAsync(cts.Token))
            {
                committed.TryAdd(e.Object.Name, Stopwatch.GetTimestamp());
            }
        });

        var received = new ConcurrentBag<(string Name, long At)>();
        var ready = 0;
        var watchers = Enumerable.Range(0, Watchers).Select(_ => Task.Run(async () =>
        {
            var seen = 0;
            await using var events = client.WatchAsync<Secret>("default", from, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
            var first = events.MoveNextAsync();
            Interlocked.Increment(ref ready);
            while (await first)
            {
                var now = Stopwatch.GetTimestamp();
                var name = events.Current.Object!.Name;
                if (name != "probe")
                {
                    received.Add((name, now));
                    if (++seen == WatchedWrites)
                    {
                        return;
                    }
                }

                first = events.MoveNextAsync();
            }
        })).ToList();

        // Every watcher's stream is open once a probe write reaches all of them; only then start measuring.
        while (Volatile.Read(ref ready) < Watchers)
        {
            await Task.Delay(10);
        }

        requested["probe"] = Stopwatch.GetTimestamp();
        await client.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "probe", Namespace = "default" } });
        await Task.Delay(500);

        for (var i = 0; i < WatchedWrites; i++)
        {
            var name = $"s-{i:D4}";
            requested[name] = Stopwatch.GetTimestamp();
            await client.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, StringData = new() { ["k"] = "v" } });
            await Task.Delay(10);
        }

        await Task.WhenAll(watchers);
        await cts.CancelAsync();
        await observer.ContinueWith(_ => { }, TaskScheduler.Default);

        // The in-process observer and a watcher race for the same event; a watcher may be a hair earlier: count 0.
        var fromCommit = received.Select(r => Math.Max(0, Stopwatch.GetElapsedTime(committed[r.Name], r.At).TotalMilliseconds)).ToList();
        var fromRequest = received.Select(r => Stopwatch.GetElapsedTime(requested[r.Name], r.At).TotalMilliseconds).ToList();
        return (fromCommit, fromRequest);
    }

    /// <summary>
    /// Seconds for the kubectl on PATH to <c>apply -f</c> one file of 100 ConfigMaps with only KUBECONFIG set (client-side
    /// apply: a GET and a create per object); -1 when there is no kubectl. <c>--validate=false</c> while the Engine
    /// serves no /openapi/v2.
    /// </summary>
    private static async Task<double> KubectlApplyAsync(EngineHost host, string dir)
    {
        var kubectl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);
        if (kubectl == null)
        {
            return -1;
        }

        var file = Path.Combine(dir, "kubectl-apply.yaml");
        await File.WriteAllTextAsync(file, string.Join("---\n", Enumerable.Range(0, KubectlObjects).Select(i =>
            $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubectl-{i:D3}\n  namespace: default\ndata:\n  payload: \"{new string('x', 120)}\"\n")));
        var psi = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "apply", "-f", file, "--validate=false" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["KUBECONFIG"] = host.KubeconfigPath;
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        sw.Stop();
        var created = (await stdout).Split('\n').Count(l => l.EndsWith(" created", StringComparison.Ordinal));
        if (process.ExitCode != 0 || created != KubectlObjects)
        {
            throw new InvalidOperationException($"kubectl apply exited {process.ExitCode} with {created}/{KubectlObjects} created: {await stderr}");
        }

        return sw.Elapsed.TotalSeconds;
    }
}
