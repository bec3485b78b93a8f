using GitOrch.Api.Client;
using GitOrch.Api.Client.Failover;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Etcd;
using Xunit;

namespace GitOrch.Tests.Api.Client.Failover;

/// <summary>A client of several Engines moves on when one cannot be reached, and a watch resumes on the next one.</summary>
[Collection("etcd-ha")]
public sealed class FailoverHandlerTests
{
    [Fact]
    public void A_server_list_names_the_entry_that_is_not_a_url()
    {
        var e = Assert.Throws<FormatException>(() => ServerList.Parse("http://a:6443, ftp://b"));
        Assert.Contains("\"ftp://b\" is not an http(s) URL", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, ServerList.Parse("http://a:6443,https://b:6443").Count);
    }

    [Fact]
    public async Task An_unreachable_Engine_is_skipped_and_a_watch_resumes_from_its_revision_on_the_next()
    {
        var prefix = "/failover-" + Guid.NewGuid().ToString("N")[..8];
        await using var b = await TestEngine.StartAsync(configure: o => o.Etcd = HaEngines.Options(EtcdCluster.Shared, prefix));
        var a = await TestEngine.StartAsync(configure: o => o.Etcd = HaEngines.Options(EtcdCluster.Shared, prefix));
        // One datastore, one CA: the second Engine took the first one's CA from etcd, so one trust serves both.
        Assert.Equal(b.Ca.Fingerprint, a.Ca.Fingerprint);
        using var client = GitOrchClient.ForServers(new[] { a.BaseUrl, b.BaseUrl }, a.AdminToken, new GitOrch.Api.Client.Tls.EngineTlsHandler(a.Ca));

        var first = await client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "one", Namespace = "default" } });
        var resumeFrom = first.Metadata.ResourceVersion;
        await a.DisposeAsync();

        // Written elsewhere while the client's Engine is gone: the resumed watch must deliver it, with no relist.
        await b.Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "two", Namespace = "default" } });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await foreach (var e in client.WatchAsync<ConfigMap>("default", resumeFrom, cancellationToken: timeout.Token))
        {
            Assert.Equal("ADDED", e.Type);
            Assert.Equal("two", e.Object!.Name);
            break;
        }

        Assert.Equal("two", (await client.GetAsync<ConfigMap>("default", "two")).Name);
    }
}
