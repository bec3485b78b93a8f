using System.Diagnostics;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Store;
using LiteDB;

namespace GitOrch.Bench.Scenarios;

/// <summary>
/// Object writes per second through the store (validation, revision, serialization, change log and LiteDB
/// included) with 1 and 16 concurrent writers, against LiteDB's raw rate for the same documents upserted in
/// large explicit transactions: the physical limit of this machine.
/// </summary>
public static class StoreScenario
{
    private const int Writes = 20_000;

    public static async Task<BenchResult> RunAsync(string[] args)
    {
        var raw = RawLiteDb(Writes);
        var one = await ThroughStore(1, Writes / 4);
        var sixteen = await ThroughStore(16, Writes);

        Console.WriteLine($"{"measure",-32} {"writes/s",12}");
        Console.WriteLine($"{"store, 1 writer",-32} {one,12:0}");
        Console.WriteLine($"{"store, 16 writers",-32} {sixteen,12:0}");
        Console.WriteLine($"{"raw LiteDB, 1 transaction",-32} {raw,12:0}");
        Console.WriteLine($"{"ratio (16 writers / raw)",-32} {sixteen / raw,12:0.00}");
        return new BenchResult("store")
            .Add("writes_per_s_1", one)
            .Add("writes_per_s_16", sixteen)
            .Add("raw_litedb_per_s", raw)
            .Add("ratio", Math.Round(sixteen / raw, 2));
    }

    /// <summary>A ConfigMap of about 300 bytes once serialized, like a small real object.</summary>
    private static ConfigMap Sample(int i) => new()
    {
        Metadata = new ObjectMeta { Name = $"cm-{i:D6}", Namespace = "default", Labels = new() { ["app"] = "bench", ["shard"] = (i % 16).ToString() } },
        Data = new() { ["payload"] = new string('x', 120) },
    };

    private static async Task<double> ThroughStore(int writers, int total)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-store-" + Guid.NewGuid().ToString("N"));
        using var store = ObjectStore.Open(dir);
        using var watch = store.Watch(null, null, 0);
        var drain = Task.Run(async () =>
        {
            while (await watch.Events.WaitToReadAsync())
            {
                while (watch.Events.TryRead(out _))
                {
                }
            }
        });
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                await store.CreateAsync(Sample(i));
            }
        })));
        sw.Stop();
        Directory.Delete(dir, true);
        return total / sw.Elapsed.TotalSeconds;
    }

    private static double RawLiteDb(int total)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gitorch-bench-raw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var docs = Enumerable.Range(0, total).Select(i =>
        {
            var cm = Sample(i);
            cm.ApiVersion = "v1";
            cm.Kind = "ConfigMap";
            cm.Metadata.Uid = Guid.NewGuid().ToString();
            cm.Metadata.ResourceVersion = i.ToString();
            return new BsonDocument { ["_id"] = "configmaps|default/" + cm.Metadata.Name, ["rv"] = (long)i, ["json"] = KubeJson.Serialize(cm) };
        }).ToList();
        Console.WriteLine($"document size: {docs[0]["json"].AsString.Length} bytes of JSON");
        using (var db = new LiteDatabase(new ConnectionString { Filename = Path.Combine(dir, "raw.db"), Connection = ConnectionType.Direct }))
        {
            var col = db.GetCollection("objects");
            var sw = Stopwatch.StartNew();
            db.BeginTrans();
            foreach (var d in docs)
            {
                col.Upsert(d);
            }

            db.Commit();
            sw.Stop();
            Directory.Delete(dir, true);
            return total / sw.Elapsed.TotalSeconds;
        }
    }
}
