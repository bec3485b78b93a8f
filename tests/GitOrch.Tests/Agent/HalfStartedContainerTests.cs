using GitOrch.Agent.Pods;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Agent;

/// <summary>
/// An agent killed between Docker's create and start leaves a container that was created and never started. The
/// next agent must start that very container (it is this attempt, made from the same immutable Pod spec), not
/// count it as a failed attempt and run a second container next to it.
/// </summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class HalfStartedContainerTests
{
    [Fact]
    public async Task A_container_created_but_never_started_by_a_killed_agent_is_started_not_duplicated()
    {
        await using var h = await AgentTestHarness.StartAsync(startAgent: false);
        var node = h.NewNodeName();
        h.TrackNode(node);
        var pod = await h.CreatePodAsync("half-started", spec => spec.Containers.Add(Busybox("main")), node);

        // What the killed agent left: the Pod's first container, created with the agent's own parameters, never started.
        var parameters = ContainerConfigBuilder.Build(pod, pod.Spec!.Containers[0], isInit: false, attempt: 0, backoffStep: 0, node, new List<string>(), new Dictionary<string, string>());
        var created = await h.Docker.Containers.CreateContainerAsync(parameters);

        await h.StartAgentAsync(h.Options(node));
        var running = await h.WaitForRunningAsync("half-started");
        var only = Assert.Single(await h.ContainersOfAsync("half-started", node));
        Assert.Equal(created.ID, only.ID);
        Assert.Equal("running", only.State);
        Assert.Equal(0, Status(running).RestartCount);
        Assert.Equal("docker://" + created.ID, Status(running).ContainerID);
    }
}
