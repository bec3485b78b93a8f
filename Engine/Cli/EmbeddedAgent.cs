using System.Net;
using System.Text.RegularExpressions;
using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Engine.Hosting;

namespace GitOrch.Engine.Cli;

/// <summary>
/// <c>gitorch server --with-agent</c>: one node agent in the Engine's process for the single-machine setup. It is an
/// ordinary agent: it reaches the Engine through the HTTPS API at the Engine's own address with the agent token, trusting
/// the Engine's CA directly (no join token needed in the same process).
/// </summary>
public static partial class EmbeddedAgent
{
    /// <param name="nodeName">Default: the machine name as a DNS label.</param>
    public static Task<AgentHost> StartAsync(EngineHost host, ILoggerFactory? loggers, string? nodeName = null, CancellationToken ct = default)
    {
        var listen = host.BaseUrl.Host.Trim('[', ']');
        var nodeIP = IPAddress.TryParse(listen, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) ? listen : "127.0.0.1";
        var options = new AgentOptions
        {
            Server = host.BaseUrl,
            Token = host.Tokens.Agent,
            Ca = host.Ca,
            NodeName = nodeName ?? NodeName(),
            NodeIP = nodeIP,
            DataDir = Path.Combine(host.Options.DataDir, "agent"),
            Time = host.Options.Time,
        };
        return AgentHost.StartAsync(options, loggers, ct);
    }

    /// <summary>The machine name as a DNS-1123 label (Node names must be one).</summary>
    public static string NodeName()
    {
        var name = NotDns().Replace(Environment.MachineName.ToLowerInvariant(), "-").Trim('-');
        return string.IsNullOrEmpty(name) ? "local" : name.Length > 63 ? name[..63].TrimEnd('-') : name;
    }

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotDns();
}
