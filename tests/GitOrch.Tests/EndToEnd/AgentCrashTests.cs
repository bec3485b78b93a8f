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
public sealed class AgentCrashTests : EndToEndTest
{
    [Fact]
    public Task An_agent_killed_with_SIGKILL_and_restarted_adopts_its_containers() => Env.RunStoryAsync(async () =>
    {
        var node = Env.NewNodeName("agent-kill");
        var engineAddress = NodeAddresses.Next();
        var nodeAddress = NodeAddresses.Next();
        var engine = await Env.StartEngineAsync(Path.Combine(Env.Root, "data"), engineAddress, agentNodeName: null);
        var agent = await Env.StartAgentAsync(engine, node, nodeAddress);
        await Env.DeployHelloAsync(nodeAddress);
        var podsBefore = Env.Pods("app=hello");
        Assert.Equal(node, Assert.Single(podsBefore).Node);
        var containersBefore = await NodeContainers.ListAsync(node);
        Assert.Equal("running", Assert.Single(containersBefore).State);

        agent.Kill();

        // The proxy died with the agent; the container did not and still serves on its hostPort.
        Assert.Contains(HelloPorts.FirstHeading, await ServiceHttp.GetAsync(nodeAddress, HelloPorts.Container), StringComparison.Ordinal);
        Assert.Equal(containersBefore, await NodeContainers.ListAsync(node));

        await Env.StartAgentAsync(engine, node, nodeAddress);
        Assert.Equal(podsBefore, await Env.WaitPodsRunningAsync("app=hello", 1));
        await Env.WaitPageAsync(nodeAddress, HelloPorts.Service, HelloPorts.FirstHeading);
        Assert.Equal(containersBefore, await NodeContainers.ListAsync(node));
        var nodeInfo = Env.Run("Get-Node").Output.Single();
        Assert.Equal(node, nodeInfo.Properties["Name"].Value);
        Assert.Equal("Ready", nodeInfo.Properties["Status"].Value);
    });
}
