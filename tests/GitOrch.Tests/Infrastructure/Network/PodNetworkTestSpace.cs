using System.Diagnostics;
using GitOrch.Agent;
using GitOrch.Agent.Network;
using GitOrch.Engine.Hosting;
using GitOrch.Engine.Services;

namespace GitOrch.Tests.Infrastructure.Network;

/// <summary>
/// Addresses and names one Pod-network test owns alone, so tests in parallel (and a run left half-cleaned) never
/// meet: its own cluster CIDR (10.128-191.0.0/16) and service CIDR (10.32-95.0.0/16), CNI network, bridge and iptables
/// chain prefix. Disposing deletes the bridge (veths went with their sandboxes).
/// </summary>
public sealed class PodNetworkTestSpace : IDisposable
{
    private static int _next = Random.Shared.Next(64);
    private readonly List<string> _bridges = [];

    public PodNetworkTestSpace()
    {
        Index = Interlocked.Increment(ref _next) % 64;
        Id = "g" + Index.ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + Random.Shared.Next(0x1000).ToString("x3", System.Globalization.CultureInfo.InvariantCulture);
    }

    public int Index { get; }

    /// <summary>Short and unique: network, bridge and chain names are made from it.</summary>
    public string Id { get; }

    public string ClusterCidr => $"10.{128 + Index}.0.0/16";

    public string ServiceCidr => $"10.{32 + Index}.0.0/16";

    public void ConfigureEngine(EngineOptions options)
        => options.Network = new ClusterNetworkOptions { ClusterCidr = ClusterCidr, ServiceCidr = ServiceCidr };

    /// <summary>Pod network options for agent <paramref name="n"/> of the test (each with its own bridge and chains).</summary>
    public PodNetworkOptions Agent(int n = 0, Func<PodNetworkOptions, PodNetworkOptions>? configure = null)
    {
        var bridge = $"{Id}b{n}";
        _bridges.Add(bridge);
        var options = new PodNetworkOptions
        {
            NetworkName = $"{Id}n{n}",
            BridgeName = bridge,
            ChainPrefix = $"{Id.ToUpperInvariant()}{n}",
        };
        return configure == null ? options : configure(options);
    }

    public AgentOptions WithPodNetwork(AgentOptions agent, int n = 0, Func<PodNetworkOptions, PodNetworkOptions>? configure = null)
        => agent with { PodNetwork = Agent(n, configure) };

    public void Dispose()
    {
        foreach (var bridge in _bridges)
        {
            Run("ip", "link", "del", bridge);
        }
    }

    /// <summary>Runs a host command; returns its exit code and output (for set-up and clean-up steps).</summary>
    public static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
