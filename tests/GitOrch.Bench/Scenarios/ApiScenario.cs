using System.Collections.Concurrent;
using System.Diagnostics;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Engine.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// The HTTP API end to end on loopback: create latency with 16 concurrent clients (each its own GitOrchClient and
/// connection), and watch delivery latency to 100 concurrent watchers, measured from the moment the store publishes
/// the committed change to the moment each watcher has decoded the event. The end-to-end figure (from the create
/// request being sent) is printed in the table as well.
/// </summary>
public static class ApiScenario
{
    private const int Clients = 16;
    private const int CreatesPerClient = 400;
    private const int Warmup = 50;
    private const int Watchers = 100;
    private const int WatchedWrites = 200;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-api-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var host = await EngineHost.StartAsync(new EngineOptions { DataDir = dir, Listen = "127.0.0.1:0", StartComponents = false, LogLevel = LogLevel.Warning });
            var storeOnly = await StoreCreateLatencyAsync(host);
            var create = await CreateLatencyAsync(host);
            var (watchFromCommit, watchEndToEnd) = await WatchLatencyAsync(host);

            Console.WriteLine($"{"measure",-44} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
            Row($"create, {Clients} concurrent clients ({create.Count})", create);
            Row($"  same through the store, no HTTP", storeOnly);
            Row($"watch delivery from commit, {Watchers} watchers ({watchFromCommit.Count})", watchFromCommit);
            Row($"watch delivery from request, {Watchers} watchers", watchEndToEnd);
            return new BenchResult("api")
                .Add("create_p50_ms", Math.Round(Stats.Percentile(create, 50), 2))
                .Add("create_p99_ms", Math.Round(Stats.Percentile(create, 99), 2))
                .Add("watch_p99_ms", Math.Round(Stats.Percentile(watchFromCommit, 99), 2));
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

    private static async Task<List<double>> CreateLatencyAsync(EngineHost host)
    {
        var clients = Enumerable.Range(0, Clients).Select(_ => new GitOrchClient(host.BaseUrl, host.Tokens.Admin)).ToList();
        try
        {
            // Warm up connections, JIT and the store before measuring.
            await Task.WhenAll(clients.Select((c, i) => Task.Run(async () =>
            {
                for (var n = 0; n < Warmup; n++)
                {
                    await c.CreateAsync(Sample($"warm-{i}-{n}"));
                }
            })));

            var latencies = new ConcurrentBag<double>();
            await Task.WhenAll(clients.Select((c, i) => Task.Run(async () =>
            {
                for (var n = 0; n < CreatesPerClient; n++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await c.CreateAsync(Sample($"cm-{i}-{n}"));
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
        using var client = new GitOrchClient(host.BaseUrl, host.Tokens.Admin);
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
}
