using GitOrch.Tests.Infrastructure.EndToEnd;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;

namespace GitOrch.Tests.EndToEnd;

/// <summary>
/// The all-in-one engine (<c>gitorch server --with-agent</c>) killed with SIGKILL while clients write, then started
/// again on the same data directory: every acknowledged write and the GitSource/Deployment are still there, and its
/// agent adopts the containers it left running instead of starting a second copy.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class EngineCrashTests : EndToEndTest
{
    [Fact]
    public Task An_engine_killed_mid_writes_restarts_on_its_data_and_adopts_its_containers_without_duplicates() => Env.RunStoryAsync(async () =>
    {
        var node = Env.NewNodeName("engine-kill");
        var address = NodeAddresses.Next();
        var dataDir = Path.Combine(Env.Root, "data");
        var engine = await Env.StartEngineAsync(dataDir, address, node);
        var main = await Env.DeployHelloAsync(address);
        var podsBefore = Env.Pods("app=hello");
        var deploymentUid = DeploymentUid();
        var containersBefore = await NodeContainers.ListAsync(node);
        Assert.Equal("running", Assert.Single(containersBefore).State);

        // SIGKILL while four clients are creating objects as fast as the engine answers.
        IReadOnlyCollection<string> acknowledged;
        await using (var load = new WriteLoad(engine, "inflight"))
        {
            await load.WaitAcknowledgedAsync(40, EndToEndEnvironment.Deadline);
            engine.Kill();
            acknowledged = await load.StopAsync();
        }

        // Nobody manages the container now, and it keeps serving on its hostPort: a control plane crash is not an outage.
        Assert.Contains(HelloPorts.FirstHeading, await ServiceHttp.GetAsync(address, HelloPorts.Container), StringComparison.Ordinal);

        await Env.StartEngineAsync(dataDir, address, node);
        var source = Env.Source();
        Assert.Equal("True", source.Properties["Ready"].Value);
        Assert.Equal(main, source.Properties["LastAppliedCommit"].Value);
        Assert.Equal(deploymentUid, DeploymentUid());
        var stored = Env.Run("Get-GitOrchObject -Kind ConfigMap | ForEach-Object Name").Output.Select(o => o.ToString()).ToHashSet(StringComparer.Ordinal);
        var lost = acknowledged.Where(name => !stored.Contains(name)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes lost: {string.Join(", ", lost.Take(20))}");

        // The same Pods (names and uids) run again, on the same containers: adopted, not recreated, no duplicates.
        Assert.Equal(podsBefore, await Env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Equal(containersBefore, await NodeContainers.ListAsync(node));
        await Env.WaitPageAsync(address, HelloPorts.Service, HelloPorts.FirstHeading);

        // A reconcile of the source after the restart changes nothing that runs either.
        Assert.Equal(main, Env.SyncSource().ThrowOnError().Output.Single().Properties["LastAppliedCommit"].Value);
        Assert.Equal(podsBefore, await Env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Equal(containersBefore, await NodeContainers.ListAsync(node));
    });

    [Fact]
    public Task An_engine_killed_while_a_commits_Pods_start_converges_to_that_commit_with_one_container_per_Pod() => Env.RunStoryAsync(async () =>
    {
        var node = Env.NewNodeName("apply-kill");
        var address = NodeAddresses.Next();
        var dataDir = Path.Combine(Env.Root, "data");
        var engine = await Env.StartEngineAsync(dataDir, address, node);
        await Env.DeployHelloAsync(address);
        var hello = Assert.Single(await NodeContainers.ListAsync(node));

        // A commit with a new page and a new three-replica Deployment; the sync is requested, not waited for, and
        // the engine dies as soon as the agent created the first of the new containers.
        Env.WriteAppFile("configmap.yaml", Env.ReadAppFile("configmap.yaml").Replace("Hello from GitOrch", "Hello after the crash", StringComparison.Ordinal));
        Env.WriteAppFile("worker.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: worker
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: worker
              template:
                metadata:
                  labels:
                    app: worker
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                    - name: main
                      image: gitorch-test/busybox:latest
                      imagePullPolicy: IfNotPresent
                      command: ["sleep", "3600"]
            """);
        var commit = Env.CommitAndPush("worker and a new page");
        Env.Run("Sync-GitOrchSource hello");
        // Looking often makes it likely that the kill lands between Docker's create and start of some container.
        await Poll.UntilAsync(() => NodeContainers.ListAsync(node), cs => cs.Any(c => c.PodName.StartsWith("worker-", StringComparison.Ordinal)), EndToEndEnvironment.Deadline, "the first worker container", TimeSpan.FromMilliseconds(10));
        engine.Kill();

        // Started again, with nobody asking for anything, it finishes what the commit asked for.
        await Env.StartEngineAsync(dataDir, address, node);
        await Poll.UntilAsync(() => Env.Source().Properties["LastAppliedCommit"].Value, c => Equals(c, commit), EndToEndEnvironment.Deadline, "the commit to be applied");
        var workers = await Env.WaitPodsRunningAsync("app=worker", 3);
        Assert.Equal(hello, Assert.Single(await NodeContainers.ListAsync(node), c => c.PodName.StartsWith("hello-", StringComparison.Ordinal)));
        await Env.WaitPageAsync(address, HelloPorts.Service, "<h1>Hello after the crash</h1>");

        // Docker holds exactly one container per Pod container: the one created before the crash was adopted.
        var containers = await NodeContainers.ListAsync(node);
        var workerContainers = containers.Where(c => c.PodName.StartsWith("worker-", StringComparison.Ordinal)).ToList();
        Assert.Equal(workers.Select(w => w.Uid).Order(StringComparer.Ordinal), workerContainers.Select(c => c.PodUid).Order(StringComparer.Ordinal));
        Assert.All(workerContainers, c => Assert.Equal("running", c.State));
        Assert.All(workers, w => Assert.Equal(0, w.Restarts));
        Assert.Equal(4, containers.Count);
    });

    private string DeploymentUid() => Env.Run("Get-Deployment hello | ForEach-Object { $_.Object.Metadata.Uid }").Output.Single().ToString();
}
