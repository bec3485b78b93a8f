using System.CommandLine;
using GitOrch.Engine.Cli;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GitOrch.Tests.Engine.Cli;

/// <summary>The flags people and scripts already use keep their names and meaning on System.CommandLine.</summary>
public sealed class CliFlagsTests
{
    [Fact]
    public void Server_flags_bind_to_the_engine_options()
    {
        var result = GitOrchCommand.Create().Parse(["server", "--data-dir", "/tmp/g", "--listen=0.0.0.0:7000", "--with-agent", "--node-name", "n1", "--log-level", "warning"]);

        Assert.Empty(result.Errors);
        var settings = ServerCommand.Flags.Bind(result, new ServerCommand.Settings());
        Assert.Equal("/tmp/g", settings.Engine.DataDir);
        Assert.Equal("0.0.0.0:7000", settings.Engine.Listen);
        Assert.True(settings.Engine.WithAgent);
        Assert.Equal("n1", settings.NodeName);
        Assert.Equal(LogLevel.Warning, settings.Engine.LogLevel);
    }

    [Fact]
    public void Server_without_flags_uses_the_documented_defaults()
    {
        var result = GitOrchCommand.Create().Parse(["server"]);

        var settings = ServerCommand.Flags.Bind(result, new ServerCommand.Settings());
        Assert.Equal(GitOrch.Engine.Hosting.EngineOptions.DefaultDataDir, settings.Engine.DataDir);
        Assert.Equal("127.0.0.1:6443", settings.Engine.Listen);
        Assert.False(settings.Engine.WithAgent);
        Assert.Null(settings.NodeName);
        Assert.Equal(LogLevel.Information, settings.Engine.LogLevel);
    }

    [Fact]
    public void Agent_flags_bind_to_the_agent_options()
    {
        using var dir = new GitOrch.Tests.Infrastructure.TempDirectory();
        var tokenFile = Path.Combine(dir.Path, "agent.token");
        File.WriteAllText(tokenFile, "secret\n");
        var result = GitOrchCommand.Create().Parse(["agent", "--server", "http://127.0.0.1:6443", "--token-file", tokenFile, "--node-name", "n2",
            "--node-ip", "127.0.0.2", "--proxy-address", "127.0.0.3", "--docker-endpoint", "unix:///tmp/docker.sock", "--max-parallel-starts", "4",
            "--log-port", "1234", "--log-level", "Debug"]);

        Assert.Empty(result.Errors);
        var options = AgentCommand.Flags.Bind(result, new GitOrch.Agent.AgentOptions { Server = new Uri("http://unset"), Token = "", NodeName = "" });
        Assert.Equal(new Uri("http://127.0.0.1:6443"), options.Server);
        Assert.Equal("secret", options.Token);
        Assert.Equal("n2", options.NodeName);
        Assert.Equal("127.0.0.2", options.NodeIP);
        Assert.Equal("127.0.0.3", options.ProxyAddress);
        Assert.Equal(new Uri("unix:///tmp/docker.sock"), options.DockerEndpoint);
        Assert.Equal(4, options.MaxParallelStarts);
        Assert.Equal(1234, options.LogPort);
        Assert.EndsWith(Path.Combine(".gitorch", "agent-n2"), options.DataDir, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server --listen nonsense", "--listen")]
    [InlineData("server --log-level loud", "--log-level")]
    [InlineData("server --no-such-flag", "--no-such-flag")]
    [InlineData("agent --token-file t --node-name n", "--server")]
    [InlineData("agent --server not-a-url --token-file t --node-name n", "--server")]
    [InlineData("agent --server http://a --token-file t --node-name n --max-parallel-starts -1", "--max-parallel-starts")]
    public void Bad_flag_is_a_parse_error_naming_it(string args, string flag)
    {
        var result = GitOrchCommand.Create().Parse(args.Split(' '));

        Assert.Contains(result.Errors, e => e.Message.Contains(flag, StringComparison.Ordinal));
    }
}
