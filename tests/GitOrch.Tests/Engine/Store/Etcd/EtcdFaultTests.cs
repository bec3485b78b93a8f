using dotnet_etcd;
using Etcdserverpb;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using GitOrch.Engine.Store.Etcd;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Etcd;
using Google.Protobuf;
using Xunit;

namespace GitOrch.Tests.Engine.Store.Etcd;

/// <summary>The etcd backend under the faults of issue 19, each on its own three-member cluster.</summary>
[Collection("etcd-ha")]
public sealed class EtcdFaultTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Writes_continue_when_one_member_is_killed_and_it_catches_up_after_restart()
    {
        using var cluster = await EtcdCluster.StartAsync();
        var options = HaEngines.Options(cluster, "/faults");
        using var store = await EtcdObjectStore.OpenAsync(options);
        for (var i = 0; i < 50; i++)
        {
            await WriteWithRetryAsync(store, "before-" + i);
        }

        cluster.Kill(0);
        var started = DateTime.UtcNow;
        for (var i = 0; i < 100; i++)
        {
            await WriteWithRetryAsync(store, "during-" + i);
        }

        Assert.True(DateTime.UtcNow - started < Deadline, "100 writes with one member down took too long");
        Assert.Equal(150, store.List<ConfigMap>("default").Count);

        await cluster.RestartAsync(0);
        using var member0 = new EtcdClient(cluster.ClientUrl(0).ToString().TrimEnd('/'));
        var prefix = "/faults/registry/configmaps/";
        await Eventually.UntilAsync(async () => (await member0.GetAsync(new RangeRequest
        {
            Key = ByteString.CopyFromUtf8(prefix),
            RangeEnd = ByteString.CopyFromUtf8(EtcdKeys.RangeEnd(prefix)),
            CountOnly = true,
            Serializable = true, // what member 0 itself holds, not what the quorum says
        })).Count, n => n == 150, Deadline, "the restarted member to hold all 150 ConfigMaps");
    }

    [Fact]
    public async Task Without_etcd_writes_fail_with_503_reads_continue_and_the_Engine_recovers()
    {
        using var cluster = await EtcdCluster.StartAsync();
        await using var engine = await TestEngine.StartAsync(configure: o =>
        {
            o.Etcd = HaEngines.Options(cluster, "/outage");
            o.Etcd.RequestTimeout = TimeSpan.FromSeconds(1);
        });
        await engine.Client.CreateAsync(Cm("kept"));

        cluster.KillAll();
        var refused = await Assert.ThrowsAsync<GitOrchApiException>(() => engine.Client.CreateAsync(Cm("refused")));
        Assert.Equal(503, refused.Status.Code);
        Assert.Contains("datastore is unavailable", refused.Status.Message, StringComparison.Ordinal);
        Assert.Equal("v", (await engine.Client.GetAsync<ConfigMap>("default", "kept")).Data!["k"]);
        Assert.Single((await engine.Client.ListAsync<ConfigMap>("default")).Items);

        await cluster.RestartAllAsync();
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                await engine.Client.CreateAsync(Cm("after"));
                return true;
            }
            catch (GitOrchApiException e) when (e.Status.Code == 503)
            {
                return false;
            }
            catch (GitOrchApiException e) when (e.Status.Code == 409)
            {
                return true; // an earlier try timed out while etcd was starting, yet landed
            }
        }, ok => ok, Deadline, "writes to be taken again after etcd returned");
        var names = (await engine.Client.ListAsync<ConfigMap>("default")).Items.Select(c => c.Name).OrderBy(n => n);
        Assert.Equal(new[] { "after", "kept" }, names);
    }

    private static ConfigMap Cm(string name) => new() { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, Data = new() { ["k"] = "v" } };

    /// <summary>A write that may meet etcd electing a new raft leader: retried on 503 (AlreadyExists means an earlier try landed).</summary>
    private static async Task WriteWithRetryAsync(IObjectStore store, string name)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                await store.CreateAsync(Cm(name));
                return;
            }
            catch (StoreException e) when (e.IsAlreadyExists)
            {
                return;
            }
            catch (StoreException e) when (e.Code == 503 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
