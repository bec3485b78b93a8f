using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Etcd;
using Xunit;

namespace GitOrch.Tests.Engine.Store.Etcd;

/// <summary>Concurrent writers and readers on a few keys through three Engines on one etcd, checked after the fact.</summary>
[Collection("etcd-ha")]
public sealed class LinearizabilityTests
{
    private const int Keys = 4;
    private static readonly TimeSpan RunFor = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Reads_through_any_Engine_never_return_a_value_older_than_an_acknowledged_write()
    {
        var prefix = "/lin-" + Guid.NewGuid().ToString("N")[..8];
        var engines = new List<TestEngine>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                engines.Add(await TestEngine.StartAsync(configure: o => o.Etcd = HaEngines.Options(EtcdCluster.Shared, prefix)));
            }

            for (var k = 0; k < Keys; k++)
            {
                await engines[0].Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "key" + k, Namespace = "default" }, Data = new() { ["n"] = "0" } });
            }

            var checker = new ReadAfterWriteChecker();
            var until = DateTime.UtcNow + RunFor;
            var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() => WriteAsync(engines[w].Client, w, checker, until)));
            var readers = Enumerable.Range(0, 6).Select(r => Task.Run(() => ReadAsync(engines[r % 3].Client, "engine-" + (r % 3), r, checker, until)));
            await Task.WhenAll(writers.Concat(readers));

            Assert.True(checker.Writes > 20 && checker.Reads > 50, $"too little history to judge: {checker.Writes} writes, {checker.Reads} reads");
            var violations = checker.Violations();
            Assert.True(violations.Count == 0, string.Join("\n", violations.Take(10)));
        }
        finally
        {
            foreach (var e in engines)
            {
                await e.DisposeAsync();
            }
        }
    }

    private static async Task WriteAsync(GitOrchClient client, int writer, ReadAfterWriteChecker checker, DateTime until)
    {
        var random = new Random(writer);
        while (DateTime.UtcNow < until)
        {
            var key = "key" + random.Next(Keys);
            var cm = await client.GetAsync<ConfigMap>("default", key);
            cm.Data!["n"] = writer + "-" + Guid.NewGuid().ToString("N")[..6];
            try
            {
                var written = await client.ReplaceAsync(cm);
                checker.Acknowledged(key, long.Parse(written.Metadata.ResourceVersion!), ReadAfterWriteChecker.Now);
            }
            catch (GitOrchApiException e) when (e.Status.Code == 409)
            {
                // Lost a race with another writer: not acknowledged, nothing to check.
            }
        }
    }

    private static async Task ReadAsync(GitOrchClient client, string via, int reader, ReadAfterWriteChecker checker, DateTime until)
    {
        var random = new Random(100 + reader);
        while (DateTime.UtcNow < until)
        {
            var key = "key" + random.Next(Keys);
            var started = ReadAfterWriteChecker.Now;
            var cm = await client.GetAsync<ConfigMap>("default", key);
            checker.Read(key, long.Parse(cm.Metadata.ResourceVersion!), started, via);
        }
    }
}
