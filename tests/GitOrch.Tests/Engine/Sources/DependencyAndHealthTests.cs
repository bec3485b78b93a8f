using GitOrch.Api.Model;
using GitOrch.Engine.Sources;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Engine.Sources;

/// <summary>spec.dependsOn and the health gate (spec.wait / spec.healthChecks), against a real store and real Git.</summary>
[Trait("Requires", "Git")]
public sealed class DependencyAndHealthTests : IAsyncLifetime
{
    private readonly SourceHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_source_applies_only_after_the_source_it_depends_on_is_ready()
    {
        var infra = new TestRepo(Path.Combine(_h.Dir.Path, "infra-git"), "infra");
        infra.Write("ns.yaml", Manifests.ConfigMap("infra-settings")).Commit("infra");
        _h.Repo.Write("app.yaml", Manifests.ConfigMap("app-settings")).Commit("app");
        await _h.CreateSourceAsync(_h.Repo.FileUrl, "apps", s => s.DependsOn = new() { new GitSourceDependency { Name = "infra" } });

        await _h.ReconcileAsync("apps");
        Assert.Null(_h.Store.Get<ConfigMap>("default", "app-settings"));
        var waiting = _h.Condition(SourceConditions.Ready, "apps")!;
        Assert.Equal(SourceConditions.DependencyNotReady, waiting.Reason);
        Assert.Contains("default/infra does not exist", waiting.Message);

        await _h.CreateSourceAsync(infra.FileUrl, "infra");
        await _h.ReconcileAsync("apps");
        Assert.Contains("default/infra is not ready", _h.Condition(SourceConditions.Ready, "apps")!.Message);

        await _h.ReconcileAsync("infra");
        await _h.ReconcileAsync("apps");
        Assert.NotNull(_h.Store.Get<ConfigMap>("default", "app-settings"));
        Assert.Equal(ConditionStatus.True, _h.Condition(SourceConditions.Ready, "apps")!.Status);
    }

    [Fact]
    public async Task A_dependency_cycle_is_refused_with_a_condition_naming_it()
    {
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a")).Commit("a");
        await _h.CreateSourceAsync(_h.Repo.FileUrl, "a", s => s.DependsOn = new() { new GitSourceDependency { Name = "b" } });
        await _h.CreateSourceAsync(_h.Repo.FileUrl, "b", s => s.DependsOn = new() { new GitSourceDependency { Name = "a" } });

        await _h.ReconcileAsync("a");

        var ready = _h.Condition(SourceConditions.Ready, "a")!;
        Assert.Equal(SourceConditions.DependencyCycle, ready.Reason);
        Assert.Contains("default/a -> default/b -> default/a", ready.Message);
        Assert.Equal(ConditionStatus.True, _h.Condition(SourceConditions.Stalled, "a")!.Status);
        Assert.Null(_h.Store.Get<ConfigMap>("default", "a"));
    }

    [Fact]
    public async Task With_wait_the_source_is_ready_only_once_its_deployment_rolled_out()
    {
        _h.Repo.Write("web.yaml", Manifests.Deployment("web", replicas: 2)).Commit("web");
        await _h.CreateSourceAsync(_h.Repo.FileUrl, configure: s => s.Wait = true);

        await _h.ReconcileAsync();
        var pending = _h.Condition(SourceConditions.Ready)!;
        Assert.Equal(ConditionStatus.Unknown, pending.Status);
        Assert.Contains("waiting for Deployment default/web", pending.Message);
        Assert.Equal(ConditionStatus.True, _h.Condition(SourceConditions.Reconciling)!.Status);

        await SetRolledOutAsync("web", 2);
        await _h.ReconcileAsync();

        var ready = _h.Condition(SourceConditions.Ready)!;
        Assert.Equal(ConditionStatus.True, ready.Status);
        Assert.Contains("1 object(s) healthy", ready.Message);
        Assert.Equal(ConditionStatus.False, _h.Condition(SourceConditions.Reconciling)!.Status);
    }

    [Fact]
    public async Task Pods_stuck_pulling_their_image_fail_the_health_check_after_the_timeout_naming_the_reason()
    {
        _h.Repo.Write("web.yaml", Manifests.Deployment("web", "nope:missing")).Commit("bad image");
        await _h.CreateSourceAsync(_h.Repo.FileUrl, configure: s =>
        {
            s.HealthChecks = new() { new HealthCheckReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" } };
            s.Timeout = "1s"; // also the fetch timeout: a local repository fetches well within it
        });
        await _h.ReconcileAsync();
        await SetRolledOutAsync("web", 0); // the controller saw the spec; none of its Pods is ready
        var pod = StuckPod("web-1", "web");
        var created = await _h.Store.CreateAsync(pod);
        created.Status = pod.Status;
        await _h.Store.UpdateStatusAsync(created);

        // Still progressing within the timeout; the controller looks again every second until it passes.
        await _h.ReconcileAsync();
        Assert.Equal(ConditionStatus.Unknown, _h.Condition(SourceConditions.Ready)!.Status);
        var ready = await Eventually.UntilAsync(async () =>
        {
            await _h.ReconcileAsync();
            return _h.Condition(SourceConditions.Ready)!;
        }, c => c.Status != ConditionStatus.Unknown, TimeSpan.FromSeconds(10), "the health check to time out");

        Assert.Equal(SourceConditions.HealthCheckFailed, ready.Reason);
        Assert.Contains("Deployment default/web: ImagePullBackOff (1 pod(s))", ready.Message);
        Assert.Contains(await _h.EventsAsync(), e => e.Reason == SourceConditions.HealthCheckFailed && e.Type == "Warning");
    }

    [Fact]
    public async Task A_failed_job_fails_the_health_check_at_once()
    {
        _h.Repo.Write("job.yaml", """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: m
                    image: busybox:1
            """).Commit("job");
        await _h.CreateSourceAsync(_h.Repo.FileUrl, configure: s => s.Wait = true);
        await _h.ReconcileAsync();
        var job = _h.Store.Get<Job>("default", "migrate")!;
        job.Status = new JobStatus { Failed = 1, Conditions = new() { new Condition { Type = "Failed", Status = ConditionStatus.True, Reason = "BackoffLimitExceeded", Message = "Job has reached the specified backoff limit" } } };
        await _h.Store.UpdateStatusAsync(job);

        await _h.ReconcileAsync();

        var ready = _h.Condition(SourceConditions.Ready)!;
        Assert.Equal(SourceConditions.HealthCheckFailed, ready.Reason);
        Assert.Contains("Job default/migrate: job failed: BackoffLimitExceeded", ready.Message);
    }

    private async Task SetRolledOutAsync(string name, int ready)
    {
        var d = _h.Store.Get<Deployment>("default", name)!;
        d.Status = new DeploymentStatus { ObservedGeneration = d.Metadata.Generation, Replicas = d.Spec!.Replicas, UpdatedReplicas = d.Spec.Replicas, ReadyReplicas = ready, AvailableReplicas = ready };
        await _h.Store.UpdateStatusAsync(d);
    }

    private static Pod StuckPod(string name, string app) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["app"] = app } },
        Spec = new PodSpec { Containers = new() { new Container { Name = app, Image = "nope:missing" } } },
        Status = new PodStatus
        {
            Phase = PodPhases.Pending,
            ContainerStatuses = new() { new ContainerStatus { Name = app, State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "ImagePullBackOff", Message = "Back-off pulling image" } } } },
        },
    };
}
