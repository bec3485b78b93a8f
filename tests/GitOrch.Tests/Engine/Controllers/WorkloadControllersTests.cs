using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.StatefulSets;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Controllers;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers;

/// <summary>
/// The workload controllers as the Engine hosts them (registered by AddGitOrchControllers, with the scheduler, the
/// garbage collector and a stand-in agent that marks bound Pods Running and Ready): proves the wiring — which changes
/// wake which controller — on top of the reconcile logic the other tests drive step by step.
/// </summary>
public sealed class WorkloadControllersTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ControlPlane _cp = new(o => o.EnableNodeLifecycle = false);

    public Task InitializeAsync() => _cp.StartAsync();

    public async Task DisposeAsync() => await _cp.DisposeAsync();

    /// <summary>A one-container busybox template labelled app=<paramref name="app"/> (shared with <see cref="JobControllerHostedTests"/>).</summary>
    internal static PodTemplateSpec Template(string app, string? restartPolicy = null) => new()
    {
        Metadata = new ObjectMeta { Labels = new() { ["app"] = app } },
        Spec = new PodSpec { RestartPolicy = restartPolicy, Containers = { new Container { Name = "main", Image = "busybox" } } },
    };

    [Fact]
    public async Task DaemonSet_gets_a_pod_on_a_node_that_joins_later()
    {
        await _cp.AddNodeAsync("node-a");
        await _cp.Store.CreateAsync(new DaemonSet
        {
            Metadata = new ObjectMeta { Name = "agent", Namespace = "default" },
            Spec = new DaemonSetSpec { Selector = new LabelSelector { MatchLabels = new() { ["app"] = "agent" } }, Template = Template("agent") },
        });
        await Eventually.True(() => _cp.Pods("app=agent").Count == 1, Timeout, "a daemon on node-a");

        await _cp.AddNodeAsync("node-b");
        await Eventually.True(() => _cp.Pods("app=agent").Select(p => p.Spec!.NodeName).OrderBy(n => n).SequenceEqual(new[] { "node-a", "node-b" }), Timeout, "a daemon on each node");
        await Eventually.True(() => _cp.Store.Get<DaemonSet>("default", "agent")!.Status?.NumberReady == 2, Timeout, "both daemons ready in status");
    }

    [Fact]
    public async Task StatefulSet_comes_up_in_order_through_the_scheduler_and_a_recreated_ordinal_returns_to_its_volume()
    {
        await _cp.AddNodeAsync("node-a");
        await _cp.AddNodeAsync("node-b");
        await _cp.Store.CreateAsync(new StatefulSet
        {
            Metadata = new ObjectMeta { Name = "db", Namespace = "default" },
            Spec = new StatefulSetSpec
            {
                Replicas = 3,
                ServiceName = "db",
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "db" } },
                Template = Template("db"),
                VolumeClaimTemplates = new() { new PersistentVolumeClaim { Metadata = new ObjectMeta { Name = "data" } } },
            },
        });
        await Eventually.True(() => _cp.Store.Get<StatefulSet>("default", "db")!.Status?.ReadyReplicas == 3, Timeout, "three ready ordinals");

        // OrderedReady: each ordinal was created only after the one before it was ready.
        var pods = _cp.Pods("app=db").OrderBy(p => p.Metadata.Name).ToList();
        Assert.Equal(new[] { "db-0", "db-1", "db-2" }, pods.Select(p => p.Metadata.Name));
        Assert.True(pods[0].Metadata.CreationTimestamp <= pods[1].Metadata.CreationTimestamp && pods[1].Metadata.CreationTimestamp <= pods[2].Metadata.CreationTimestamp);

        var node = pods[1].Spec!.NodeName!;
        await Eventually.True(() => _cp.Store.Get<StatefulSet>("default", "db")!.Metadata.Annotation(StatefulSetLabels.VolumeNodes)?.Contains($"\"1\":\"{node}\"") == true, Timeout, "db-1's volume node on record");

        var uid = pods[1].Metadata.Uid;
        await _cp.Store.DeleteAsync(ResourceKinds.Pod, "default", "db-1");
        var again = await Eventually.Until(
            () => _cp.Store.Get<Pod>("default", "db-1"),
            p => p != null && p.Metadata.Uid != uid && !string.IsNullOrEmpty(p.Spec?.NodeName),
            Timeout,
            "db-1 re-created and bound");
        Assert.Equal(node, again!.Spec!.NodeName);
        Assert.Equal("data-db-1", again.Spec.Volumes!.Single().PersistentVolumeClaim!.ClaimName);
    }
}

/// <summary>The Job controller hosted as in the Engine, with no stand-in agent: the test writes the Pod's phases itself.</summary>
public sealed class JobControllerHostedTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ControlPlane _cp = new(o => o.EnableNodeLifecycle = false, agent: false);

    public Task InitializeAsync() => _cp.StartAsync();

    public async Task DisposeAsync() => await _cp.DisposeAsync();

    private static PodTemplateSpec Template(string app, string? restartPolicy = null) => WorkloadControllersTests.Template(app, restartPolicy);

    [Fact]
    public async Task Job_completes_when_its_pod_exits_zero_and_ttl_zero_removes_job_and_pods()
    {
        await _cp.AddNodeAsync("node-a");
        await _cp.Store.CreateAsync(new Job
        {
            Metadata = new ObjectMeta { Name = "once", Namespace = "default" },
            Spec = new JobSpec { TtlSecondsAfterFinished = 0, Template = Template("once", "Never") },
        });
        var pod = await Eventually.Until(() => _cp.Pods("app=once") is { Count: > 0 } l ? l[0] : null, p => !string.IsNullOrEmpty(p?.Spec?.NodeName), Timeout, "the job's pod scheduled");

        var exited = _cp.Store.Get<Pod>("default", pod!.Metadata.Name!)!;
        exited.Metadata.ResourceVersion = null;
        exited.Status = new PodStatus { Phase = "Succeeded" };
        exited.Status.ContainerStatuses = new() { new ContainerStatus { Name = "main", State = new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = 0, FinishedAt = DateTimeOffset.UtcNow } } } };
        await _cp.Store.UpdateStatusAsync(exited);

        await Eventually.True(() => _cp.Store.Get<Job>("default", "once") == null, Timeout, "the finished job deleted by its TTL");
        await Eventually.True(() => _cp.Pods("app=once").Count == 0, Timeout, "its pods garbage-collected");
    }
}
