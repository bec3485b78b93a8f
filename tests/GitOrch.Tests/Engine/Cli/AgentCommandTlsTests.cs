using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Engine.Cli;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Cli;

/// <summary><c>gitorch agent</c>'s trust flags: a K10 join token pins the CA, a plain token needs --ca-file, and they must agree.</summary>
public sealed class AgentCommandTlsTests : IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await TestEngine.StartAsync();

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public void A_K10_join_token_file_gives_the_agent_token_and_pins_the_CA()
    {
        var options = Bind("--token-file", Path.Combine(_engine.DataDir, "join.token"));
        Assert.Equal(_engine.AgentToken, options.Token);
        Assert.Equal(_engine.Ca.Fingerprint, options.Ca!.Fingerprint);
        Assert.Null(options.Ca.Certificate); // fetched from /cacerts and checked at start
    }

    [Fact]
    public void A_plain_token_with_ca_file_trusts_that_file_and_without_it_fails_naming_both_ways_to_fix_it()
    {
        var withCa = Bind("--token-file", Path.Combine(_engine.DataDir, "agent.token"), "--ca-file", _engine.CaFile);
        Assert.Equal(_engine.Ca.Fingerprint, withCa.Ca!.Fingerprint);

        var without = Bind("--token-file", Path.Combine(_engine.DataDir, "agent.token"));
        var e = Assert.Throws<ArgumentException>(() => AgentHost.CreateClient(without));
        Assert.Contains("--ca-file", e.Message, StringComparison.Ordinal);
        Assert.Contains("join.token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_file_that_is_not_the_CA_the_join_token_pins_is_refused_with_both_fingerprints()
    {
        await using var other = await TestEngine.StartAsync();
        var e = Assert.Throws<InvalidDataException>(() => Bind("--token-file", Path.Combine(_engine.DataDir, "join.token"), "--ca-file", other.CaFile));
        Assert.Contains(_engine.Ca.Fingerprint, e.Message, StringComparison.Ordinal);
        Assert.Contains(other.Ca.Fingerprint, e.Message, StringComparison.Ordinal);
    }

    private AgentOptions Bind(params string[] trust)
    {
        var result = GitOrchCommand.Create().Parse(["agent", "--server", _engine.BaseUrl.ToString(), "--node-name", "tls-n", .. trust]);
        Assert.Empty(result.Errors);
        return AgentCommand.Flags.Bind(result, new AgentOptions { Server = new Uri("https://unset"), Token = "", NodeName = "" });
    }
}
