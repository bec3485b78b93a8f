using System.Text.RegularExpressions;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>
/// <c>gitorch agent</c> as its own process: joins the engine with its K10 join token file (the CA pinned by fingerprint), registers its Node and runs
/// its Pods on the real Docker engine with the node's loopback address. Killed and started again with the same node
/// name, it must adopt the containers it left running.
/// </summary>
public sealed partial class AgentProcess : IDisposable
{
    private AgentProcess(GitorchProcess process, string nodeName, string nodeIP)
    {
        Process = process;
        NodeName = nodeName;
        NodeIP = nodeIP;
    }

    public GitorchProcess Process { get; }

    public string NodeName { get; }

    public string NodeIP { get; }

    /// <summary>Starts the agent and returns once it says it is connected (Node registered, proxy and log endpoint up).</summary>
    public static async Task<AgentProcess> StartAsync(EngineProcess engine, string nodeName, string nodeIP, string dataDir, TimeSpan timeout)
    {
        var process = GitorchProcess.Start($"agent {nodeName}", new[]
        {
            "agent", "--server", engine.BaseUrl.ToString(), "--token-file", engine.JoinTokenFile,
            "--node-name", nodeName, "--node-ip", nodeIP, "--data-dir", dataDir,
        });
        try
        {
            await process.WaitForLineAsync(Connected(), timeout);
            return new AgentProcess(process, nodeName, nodeIP);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: the agent dies; its containers keep running without anyone watching them.</summary>
    public void Kill() => Process.Kill();

    public void Dispose() => Process.Dispose();

    [GeneratedRegex(@"^gitorch agent for node \S+ \(.*\) connected to ")]
    private static partial Regex Connected();
}
