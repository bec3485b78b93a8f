using System.Collections;
using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Module;
using GitOrch.Tests.Infrastructure.Sources;

namespace GitOrch.Tests.Infrastructure.Examples;

/// <summary>
/// What an example runs against: an in-process Engine with its components, one real agent running Docker
/// containers on a node address in 127.0.4.0/24 (the examples fix hostPorts and Service ports on the node
/// address, so each test gets its own address), a Git repository (bare "server" + working clone) and a hosted
/// PowerShell runspace with the module imported and pointed at the Engine.
/// </summary>
public sealed class ExampleCluster : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("gitorch-example");
    private AgentHost? _agent;

    private ExampleCluster(string nodeIP)
    {
        NodeIP = nodeIP;
        NodeName = DockerTestEnvironment.NewTestId("exnode");
        Repo = new TestRepo(_dir.Path);
    }

    public string NodeIP { get; }

    public string NodeName { get; }

    public TestEngine Engine { get; private set; } = null!;

    public PowerShellSession PowerShell { get; } = new();

    public TestRepo Repo { get; }

    public static async Task<ExampleCluster> StartAsync(string nodeIP)
    {
        var cluster = new ExampleCluster(nodeIP);
        try
        {
            cluster.Engine = await TestEngine.StartAsync(startComponents: true);
            cluster._agent = await AgentHost.StartAsync(new AgentOptions
            {
                Server = cluster.Engine.BaseUrl,
                Token = cluster.Engine.AgentToken,
                Ca = cluster.Engine.Ca,
                NodeName = cluster.NodeName,
                NodeIP = nodeIP,
                DataDir = Path.Combine(cluster._dir.Path, "agent"),
                ResyncInterval = TimeSpan.FromSeconds(3),
                HeartbeatInterval = TimeSpan.FromSeconds(1),
            });
            cluster.PowerShell.UseEngine(cluster.Engine);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Copies an examples/ folder's files unchanged into the repository under <paramref name="target"/>.</summary>
    public void CopyExample(string example, string target)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(PowerShellSession.RepoRoot, "examples", example)))
        {
            Repo.Write(target + "/" + Path.GetFileName(file), File.ReadAllText(file));
        }
    }

    /// <summary>PowerShell, failing the test with the first error.</summary>
    public RunResult Run(string script, IDictionary? variables = null) => PowerShell.Run(script, variables).ThrowOnError();

    public async ValueTask DisposeAsync()
    {
        PowerShell.Dispose();
        if (_agent != null)
        {
            await _agent.DisposeAsync();
        }

        if (Engine != null)
        {
            await Engine.DisposeAsync();
        }

        using (var docker = DockerTestEnvironment.CreateClient())
        {
            await DockerTestEnvironment.RemoveContainersByLabelAsync(docker, AgentLabels.NodeName, NodeName);
        }

        _dir.Dispose();
    }
}
