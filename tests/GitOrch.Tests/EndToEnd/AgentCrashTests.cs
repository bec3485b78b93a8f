using GitOrch.Tests.Infrastructure.EndToEnd;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;

namespace GitOrch.Tests.EndToEnd;

/// <summary>
/// A standalone node agent (<c>gitorch agent</c>, its own process, joined with the agent token file) killed with
/// SIGKILL: its containers keep running, and the agent started again with the same node name adopts them: same
/// container IDs, no duplicates, Pods Running, the Service reachable again.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class AgentCrashTests : IAsyncLifetime
{
    private EndToEndEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await EndToEndEnvironment.StartAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public Task An_agent_killed_with_SIGKILL_and_restarted_adopts_its_containers() => _env.RunStoryAsync(async () =>
    {
        var node = _env.NewNodeName("agent-kill");
        var engineAddress = NodeAddresses.Next();
        var nodeAddress = NodeAddresses.Next();
        var engine = await _env.StartEngineAsync(Path.Combine(_env.Root, "data"), engineAddress, agentNodeName: null);
        var agent = await _env.StartAgentAsync(engine, node, nodeAddress);
        await _env.DeployHelloAsync(nodeAddress);
        var podsBefore = _env.Pods("app=hello");
        Assert.Equal(node, Assert.Single(podsBefore).Node);
        var containersBefore = await NodeContainers.ListAsync(node);
        Assert.Equal("running", Assert.Single(containersBefore).State);

        agent.Kill();

        // The proxy died with the agent; the container did not and still serves on its hostPort.
        Assert.Contains(HelloPorts.FirstHeading, await ServiceHttp.GetAsync(nodeAddress, HelloPorts.Container), StringComparison.Ordinal);
        Assert.Equal(containersBefore, await NodeContainers.ListAsync(node));

        await _env.StartAgentAsync(engine, node, nodeAddress);
        Assert.Equal(podsBefore, await _env.WaitPodsRunningAsync("app=hello", 1));
        await _env.WaitPageAsync(nodeAddress, HelloPorts.Service, HelloPorts.FirstHeading);
        Assert.Equal(containersBefore, await NodeContainers.ListAsync(node));
        var nodeInfo = _env.Run("Get-Node").Output.Single();
        Assert.Equal(node, nodeInfo.Properties["Name"].Value);
        Assert.Equal("Ready", nodeInfo.Properties["Status"].Value);
    });
}
