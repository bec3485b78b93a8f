using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Engine.Hosting;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GitOrch.Tests.Engine.Hosting;

public sealed class EngineHostTests
{
    [Fact]
    public async Task Data_and_tokens_survive_a_restart_and_revisions_continue()
    {
        using var dir = new TempDirectory();
        var options = new EngineOptions { DataDir = dir.Path, Listen = "127.0.0.1:0", StartComponents = false, LogLevel = LogLevel.Warning };
        string admin;
        long revision;
        await using (var first = await EngineHost.StartAsync(options))
        {
            admin = first.Tokens.Admin;
            using var client = new GitOrchClient(first.BaseUrl, admin, first.Ca);
            await client.CreateAsync(Objects.ConfigMap("kept"));
            revision = first.Store.Revision;
        }

        await using var second = await EngineHost.StartAsync(options);
        Assert.Equal(admin, second.Tokens.Admin);
        using var again = new GitOrchClient(second.BaseUrl, admin, second.Ca);
        Assert.Equal("value", (await again.GetAsync<ConfigMap>("default", "kept")).Data!["key"]);
        var next = await again.CreateAsync(Objects.ConfigMap("next"));
        Assert.True(long.Parse(next.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > revision);
    }

    [Fact]
    public async Task Stop_finishes_accepted_writes_before_closing_the_store()
    {
        using var dir = new TempDirectory();
        var options = new EngineOptions { DataDir = dir.Path, Listen = "127.0.0.1:0", StartComponents = false, LogLevel = LogLevel.Warning };
        var host = await EngineHost.StartAsync(options);
        using var client = new GitOrchClient(host.BaseUrl, host.Tokens.Admin, host.Ca);
        var writes = Enumerable.Range(0, 50).Select(i => client.CreateAsync(Objects.ConfigMap("w" + i))).ToList();
        await Task.WhenAll(writes);
        await host.StopAsync();

        await using var reopened = await EngineHost.StartAsync(options);
        Assert.Equal(50, reopened.Store.List<ConfigMap>("default").Count);
    }

    [Fact]
    public async Task Listen_address_in_use_fails_to_start()
    {
        await using var first = await TestEngine.StartAsync();
        using var dir = new TempDirectory();
        var options = new EngineOptions { DataDir = dir.Path, Listen = $"127.0.0.1:{first.BaseUrl.Port}", StartComponents = false, LogLevel = LogLevel.Critical };
        await Assert.ThrowsAnyAsync<IOException>(() => EngineHost.StartAsync(options));
    }

    [Theory]
    [InlineData("127.0.0.1:6443", "127.0.0.1", 6443)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("0.0.0.0:1", "0.0.0.0", 1)]
    public void Listen_address_parses(string text, string ip, int port)
    {
        var ep = ListenAddress.Parse(text);
        Assert.Equal(ip, ep.Address.ToString());
        Assert.Equal(port, ep.Port);
    }

    [Theory]
    [InlineData("6443")]
    [InlineData("host:port")]
    [InlineData("example.com:80")]
    [InlineData("127.0.0.1:70000")]
    public void Bad_listen_address_is_rejected(string text) => Assert.Throws<FormatException>(() => ListenAddress.Parse(text));
}
