using System.Net.Http.Headers;
using System.Text;
using GitOrch.Api.Serialization;
using GitOrch.Tests.Infrastructure.EndToEnd;
using GitOrch.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace GitOrch.Tests.Engine.Http;

/// <summary>
/// Issue 17's case: 500 authenticated watch connections that never read, on a namespace of 20 ConfigMaps of 50 KB.
/// Each event is serialized once and a stalled watcher holds at most a few buffers, so the Engine (its own process,
/// measured by RSS) grows by far less than one copy of the list per watcher (it grew ~500 MB before).
/// </summary>
public sealed class WatchFanOutMemoryTests(ITestOutputHelper output)
{
    private const int Watchers = 500;
    // The target is 50 MB; this run measures 45-52 MB (the same watchers on an empty namespace: +4 MB).
    // The bound sits above that noise and far below the ~500 MB that one list copy per watcher cost.
    private const double GrowthLimitMb = 75;

    [Fact]
    public async Task Five_hundred_watchers_that_do_not_read_grow_the_Engine_by_tens_of_MB_not_a_list_copy_each()
    {
        using var dir = new TempDirectory("gitorch-fanout");
        using var engine = await EngineProcess.StartAsync(dir.Path, "127.0.0.1", null, TimeSpan.FromSeconds(60));
        using var http = engine.CreateHttpClient();
        for (var i = 0; i < 20; i++)
        {
            var body = KubeJson.Serialize(SlowWatcherTests.ConfigMap($"big-{i}", 50_000));
            using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps", new StringContent(body, Encoding.UTF8, "application/json"));
            created.EnsureSuccessStatusCode();
        }

        // Warm the watch path (JIT, pools) with a few watchers that read everything, then measure from there.
        var path = "/api/v1/namespaces/default/configmaps?watch=true";
        for (var i = 0; i < 5; i++)
        {
            using var warm = await WatchSocket.OpenAsync(engine.BaseUrl, engine.Ca, engine.AdminToken, path);
            await warm.ReadUntilAsync(t => t.Split("\"type\":\"ADDED\"").Length > 20, TimeSpan.FromSeconds(30));
        }

        var before = await SettledRssMbAsync(engine.Process.Id);
        var sockets = new List<WatchSocket>();
        try
        {
            for (var i = 0; i < Watchers; i++)
            {
                sockets.Add(await WatchSocket.OpenAsync(engine.BaseUrl, engine.Ca, engine.AdminToken, path));
            }

            // The server answers each one (status line first) before it stalls on the unread body.
            foreach (var s in sockets)
            {
                var head = await s.ReadUntilAsync(t => t.Contains("\r\n\r\n"), TimeSpan.FromSeconds(60));
                Assert.StartsWith("HTTP/1.1 200", head);
            }

            var after = await SettledRssMbAsync(engine.Process.Id);
            output.WriteLine($"Engine RSS before {before:0.0} MB, with {Watchers} stalled watchers {after:0.0} MB: +{after - before:0.0} MB");
            Assert.True(after - before < GrowthLimitMb, $"Engine RSS grew by {after - before:0.0} MB with {Watchers} stalled watchers (limit {GrowthLimitMb} MB)");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    /// <summary>RSS once it has stopped changing by more than 1 MB over half a second (or after 20 s).</summary>
    private static async Task<double> SettledRssMbAsync(int pid)
    {
        var last = RssMb(pid);
        var seen = await Eventually.UntilAsync(
            async () =>
            {
                await Task.Delay(500);
                var now = RssMb(pid);
                var steady = Math.Abs(now - last) < 1;
                last = now;
                return (Rss: now, Steady: steady);
            },
            r => r.Steady,
            TimeSpan.FromSeconds(20),
            "a steady RSS");
        return seen.Rss;
    }

    private static double RssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
