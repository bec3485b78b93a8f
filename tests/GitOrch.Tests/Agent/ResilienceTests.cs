using System.Diagnostics;
using GitOrch.Agent;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Agent;

[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class ResilienceTests
{
    [Fact]
    public async Task Agent_killed_with_SIGKILL_and_restarted_adopts_its_containers_and_removes_those_of_deleted_pods()
    {
        await using var h = await AgentTestHarness.StartAsync(startAgent: false);
        using var dir = new TempDirectory("gitorch-agent-proc");
        var tokenFile = Path.Combine(dir.Path, "agent.token");
        await File.WriteAllTextAsync(tokenFile, h.Engine.AgentToken);
        var node = h.NewNodeName();
        var ip = NextAddress();
        h.TrackNode(node);

        using (var first = StartAgentProcess(h, tokenFile, node, ip, dir.Path))
        {
            try
            {
                await WaitForNodeReadyAsync(h, node);
                await h.CreatePodAsync("keeper", spec => spec.Containers.Add(Busybox("main")), node);
                await h.CreatePodAsync("goner", spec => spec.Containers.Add(Busybox("main")), node);
                await h.WaitForRunningAsync("keeper");
                await h.WaitForRunningAsync("goner");
            }
            finally
            {
                first.Kill(); // SIGKILL: no shutdown code runs
                await first.WaitForExitAsync();
            }
        }

        var keeperBefore = Assert.Single(await h.ContainersOfAsync("keeper", node));
        Assert.Single(await h.ContainersOfAsync("goner", node));
        await h.Client.DeleteAsync<Pod>("default", "goner");

        using var second = StartAgentProcess(h, tokenFile, node, ip, dir.Path);
        try
        {
            await Eventually.UntilAsync(() => h.ContainersOfAsync("goner", node), l => l.Count == 0, TimeSpan.FromSeconds(30), "containers of the pod deleted while the agent was down removed");

            // Adopted: the same container, still running, no duplicate, no restart.
            var keeperAfter = Assert.Single(await h.ContainersOfAsync("keeper", node));
            Assert.Equal(keeperBefore.ID, keeperAfter.ID);
            Assert.Equal("running", keeperAfter.State);
            var pod = await h.WaitForRunningAsync("keeper");
            Assert.Equal(0, Status(pod).RestartCount);
            Assert.Equal("docker://" + keeperBefore.ID, Status(pod).ContainerID);
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Docker_unreachable_makes_the_node_NotReady_deletes_nothing_and_recovers()
    {
        await using var h = await AgentTestHarness.StartAsync(startAgent: false);
        using var dir = new TempDirectory("gitorch-docker-proxy");
        using var proxy = new UnixSocketProxy(Path.Combine(dir.Path, "docker.sock"));
        proxy.Start();
        var agent = await h.StartAgentAsync(h.Options() with { DockerEndpoint = proxy.Endpoint, DockerCallTimeout = TimeSpan.FromSeconds(3) });
        await h.CreatePodAsync("survivor", Busybox("main"));
        var running = await h.WaitForRunningAsync("survivor");
        var containerId = Status(running).ContainerID;

        proxy.Stop();
        var node = await Eventually.UntilAsync(() => h.Client.GetAsync<Node>(null, h.NodeName), n => Ready(n)?.Status == "False", TimeSpan.FromSeconds(20), "node NotReady");
        Assert.Equal("ContainerRuntimeUnreachable", Ready(node)!.Reason);

        // Nothing was deleted: the Pod object and its container are still there.
        var pod = await h.Client.GetAsync<Pod>("default", "survivor");
        Assert.Equal("Running", pod.Status!.Phase);
        var still = Assert.Single(await h.ContainersOfAsync("survivor"));
        Assert.Equal("running", still.State);

        // While the agent cannot see Docker the container dies; after recovery the agent notices and restarts it.
        await h.Docker.Containers.KillContainerAsync(still.ID, new global::Docker.DotNet.Models.ContainerKillParameters());

        proxy.Start();
        await Eventually.UntilAsync(() => h.Client.GetAsync<Node>(null, h.NodeName), n => Ready(n)?.Status == "True", TimeSpan.FromSeconds(20), "node Ready again");
        var recovered = await h.WaitForPodAsync("survivor", p => p.Status?.ContainerStatuses?.FirstOrDefault() is { RestartCount: 1, State.Running: not null }, "restarted after recovery");
        Assert.NotEqual(containerId, Status(recovered).ContainerID);
        Assert.Same(agent, h.Agent);
    }

    [Fact]
    public async Task Two_agents_on_one_docker_engine_never_touch_each_others_containers()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var b = await h.StartAgentAsync();
        var nodeA = h.NodeName;
        var nodeB = b.Options.NodeName;
        await h.CreatePodAsync("on-a", spec => spec.Containers.Add(Busybox("main")), nodeA);
        await h.CreatePodAsync("on-b", spec => spec.Containers.Add(Busybox("main")), nodeB);
        var podA = await h.WaitForRunningAsync("on-a");
        var podB = await h.WaitForRunningAsync("on-b");
        Assert.Equal(h.Agent.Options.NodeIP, podA.Status!.HostIP);
        Assert.Equal(b.Options.NodeIP, podB.Status!.HostIP);
        Assert.Single(await h.ContainersOfAsync("on-a", nodeA));
        Assert.Empty(await h.ContainersOfAsync("on-a", nodeB));
        var bContainer = Assert.Single(await h.ContainersOfAsync("on-b", nodeB));

        // Agent B stops; agent A's orphan sweep must not take B's container (it carries B's node label).
        await h.StopAgentAsync(b);
        await h.Client.DeleteAsync<Pod>("default", "on-a");
        await Eventually.UntilAsync(() => h.ContainersOfAsync("on-a", nodeA), l => l.Count == 0, TimeSpan.FromSeconds(20), "on-a removed by agent A");
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < h.Agent.Options.ResyncInterval * 2)
        {
            var list = await h.ContainersOfAsync("on-b", nodeB);
            Assert.Equal(bContainer.ID, Assert.Single(list).ID);
            Assert.Equal("running", list[0].State);
            await Task.Delay(250);
        }
    }

    private static Condition? Ready(Node n) => n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    private static Task WaitForNodeReadyAsync(AgentTestHarness h, string node)
        => Eventually.UntilAsync(() => h.Client.TryGetAsync<Node>(null, node), n => n != null && Ready(n)?.Status == "True", TimeSpan.FromSeconds(30), $"node {node} Ready");

    private static Process StartAgentProcess(AgentTestHarness h, string tokenFile, string node, string ip, string dataDir)
    {
        var gitorch = Path.Combine(AppContext.BaseDirectory, "gitorch.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { gitorch, "agent", "--server", h.Engine.BaseUrl.ToString(), "--token-file", tokenFile, "--ca-file", h.Engine.CaFile, "--node-name", node, "--node-ip", ip, "--data-dir", Path.Combine(dataDir, "data"), "--log-level", "Warning" })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
