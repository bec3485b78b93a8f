using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Deployments;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Controllers;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Deployments;

public sealed class DeploymentControllerTests : IAsyncLifetime
{
    private readonly ControlPlane _cp = new();

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _cp.AddNodeAsync("node-" + i);
        }

        await _cp.StartAsync();
    }

    public async Task DisposeAsync() => await _cp.DisposeAsync();

    [Fact]
    public async Task New_deployment_gets_one_replicaset_per_template_hash_and_reports_available()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("web", 3));
        var d = await _cp.RolledOutAsync("web");

        var rs = Assert.Single(_cp.ReplicaSets("app=web"));
        var hash = rs.Metadata.Labels![DeploymentAnnotations.PodTemplateHash];
        Assert.Equal("web-" + hash, rs.Metadata.Name);
        Assert.Equal("1", rs.Metadata.Annotations![DeploymentAnnotations.Revision]);
        Assert.Equal(d.Metadata.Uid, Assert.Single(rs.Metadata.OwnerReferences!).Uid);
        Assert.All(_cp.Pods("app=web"), p => Assert.Equal(hash, p.Metadata.Labels![DeploymentAnnotations.PodTemplateHash]));
        Assert.All(_cp.Pods("app=web"), p => Assert.False(string.IsNullOrEmpty(p.Spec!.NodeName)));

        var conditions = d.Status!.Conditions!;
        Assert.Equal("True", conditions.Single(c => c.Type == "Available").Status);
        var progressing = conditions.Single(c => c.Type == "Progressing");
        Assert.Equal("NewReplicaSetAvailable", progressing.Reason);
        Assert.Equal(3, d.Status.ReadyReplicas);
        Assert.Equal("1", d.Metadata.Annotations![DeploymentAnnotations.Revision]);
        await _cp.FlushEventsAsync();
        Assert.Contains(_cp.Events("ScalingReplicaSet", "web"), e => e.Message == $"Scaled up replica set web-{hash} to 3");
    }

    [Fact]
    public async Task Rolling_update_never_exceeds_max_surge_nor_drops_below_max_unavailable()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("roll", 6, "v1", d => d.Spec!.Strategy = new DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new RollingUpdateDeployment { MaxSurge = 2, MaxUnavailable = new IntOrString("20%") },
        }));
        await _cp.RolledOutAsync("roll");

        // maxUnavailable 20% of 6 rounds down to 1: at least 5 ready Pods, at most 8 Pods at every revision.
        using var checker = new PodCountChecker(_cp.Store, "roll");
        await _cp.SetImageAsync("roll", "v2");
        await _cp.RolledOutAsync("roll");
        checker.Stop();

        Assert.True(checker.Steps > 10, $"only {checker.Steps} steps observed");
        Assert.True(checker.MaxPods <= 8, $"max pods {checker.MaxPods} > replicas + maxSurge (8)");
        Assert.True(checker.MinReady >= 5, $"ready pods dropped to {checker.MinReady} < replicas - maxUnavailable (5)");
        Assert.All(_cp.Pods("app=roll"), p => Assert.Equal("v2", p.Spec!.Containers[0].Image));
        Assert.Equal(2, _cp.ReplicaSets("app=roll").Count);
    }

    [Fact]
    public async Task Recreate_removes_every_old_pod_before_creating_new_ones()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("rec", 3, "v1", d => d.Spec!.Strategy = new DeploymentStrategy { Type = "Recreate" }));
        await _cp.RolledOutAsync("rec");

        using var checker = new PodCountChecker(_cp.Store, "rec");
        await _cp.SetImageAsync("rec", "v2");
        await _cp.RolledOutAsync("rec");
        checker.Stop();

        Assert.False(checker.SawMixedImages, "old and new pods existed at the same time");
        Assert.All(_cp.Pods("app=rec"), p => Assert.Equal("v2", p.Spec!.Containers[0].Image));
    }

    [Fact]
    public async Task Scaling_up_and_down_changes_the_pod_count()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("scale", 2));
        await _cp.RolledOutAsync("scale");

        await _cp.EditDeploymentAsync("scale", d => d.Spec!.Replicas = 5);
        await _cp.RolledOutAsync("scale");
        Assert.Equal(5, _cp.Pods("app=scale").Count);

        await _cp.EditDeploymentAsync("scale", d => d.Spec!.Replicas = 1);
        await _cp.RolledOutAsync("scale");
        Assert.Single(_cp.Pods("app=scale"));
        Assert.Single(_cp.ReplicaSets("app=scale"));
    }

    [Fact]
    public async Task Rollback_to_a_revision_restores_its_template_and_reuses_its_replicaset()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("undo", 2, "v1"));
        await _cp.RolledOutAsync("undo");
        var first = Assert.Single(_cp.ReplicaSets("app=undo"));
        await _cp.SetImageAsync("undo", "v2");
        await _cp.RolledOutAsync("undo");

        // A rollback request is the annotation the module's Undo-Deployment writes; the controller carries it out.
        await _cp.EditDeploymentAsync("undo", x => (x.Metadata.Annotations ??= new())[DeploymentAnnotations.RollbackTo] = "1");

        var d = await Eventually.Until(
            () => _cp.Store.Get<Deployment>("default", "undo")!,
            x => x.Spec!.Template.Spec!.Containers[0].Image == "v1",
            TimeSpan.FromSeconds(10), "template back at v1");
        Assert.Null(d.Metadata.Annotation(DeploymentAnnotations.RollbackTo));
        await _cp.RolledOutAsync("undo");

        var rsList = _cp.ReplicaSets("app=undo");
        Assert.Equal(2, rsList.Count);
        var reused = rsList.Single(r => r.Metadata.Uid == first.Metadata.Uid);
        Assert.Equal(2, reused.Spec!.Replicas);
        Assert.Equal("3", reused.Metadata.Annotations![DeploymentAnnotations.Revision]);
        Assert.All(_cp.Pods("app=undo"), p => Assert.Equal("v1", p.Spec!.Containers[0].Image));
        await _cp.FlushEventsAsync();
        Assert.Contains(_cp.Events("RolledBack", "undo"), e => e.Message!.Contains("revision 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stuck_rollout_with_auto_rollback_returns_to_the_last_available_revision()
    {
        _cp.NeverReady = p => p.Spec!.Containers[0].Image == "broken";
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("auto", 2, "good", d =>
        {
            d.Metadata.Annotations = new() { [DeploymentAnnotations.AutoRollback] = "true" };
            d.Spec!.ProgressDeadlineSeconds = 2;
        }));
        await _cp.RolledOutAsync("auto");

        await _cp.SetImageAsync("auto", "broken");
        await Eventually.True(() => _cp.Pods("app=auto").Any(p => p.Spec!.Containers[0].Image == "broken"), TimeSpan.FromSeconds(10), "broken pods created");

        var d = await Eventually.Until(
            () => _cp.Store.Get<Deployment>("default", "auto")!,
            x => x.Spec!.Template.Spec!.Containers[0].Image == "good",
            TimeSpan.FromSeconds(20), "automatic rollback to the good template");
        await _cp.RolledOutAsync("auto");
        Assert.All(_cp.Pods("app=auto"), p => Assert.Equal("good", p.Spec!.Containers[0].Image));
        await _cp.FlushEventsAsync();
        var ev = Assert.Single(_cp.Events("RolledBack", "auto"));
        Assert.Equal("Warning", ev.Type);
        Assert.Contains("exceeded its progress deadline", ev.Message, StringComparison.Ordinal);
        Assert.StartsWith("Rolled back to revision 1:", ev.Message, StringComparison.Ordinal);
        Assert.Null(d.Metadata.Annotation(DeploymentAnnotations.RollbackTo));
    }

    [Fact]
    public async Task Stuck_rollout_reports_progress_deadline_exceeded()
    {
        _cp.NeverReady = p => p.Spec!.Containers[0].Image == "broken";
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("stuck", 2, "good", d => d.Spec!.ProgressDeadlineSeconds = 1));
        await _cp.RolledOutAsync("stuck");
        await _cp.SetImageAsync("stuck", "broken");

        var d = await Eventually.Until(
            () => _cp.Store.Get<Deployment>("default", "stuck")!,
            x => x.Status?.Conditions?.Any(c => c.Type == "Progressing" && c.Status == "False" && c.Reason == "ProgressDeadlineExceeded") == true,
            TimeSpan.FromSeconds(15), "Progressing=False ProgressDeadlineExceeded");
        Assert.Equal("broken", d.Spec!.Template.Spec!.Containers[0].Image);
        Assert.Equal("True", d.Status!.Conditions!.Single(c => c.Type == "Available").Status);
    }

    [Fact]
    public async Task Paused_deployment_does_not_roll_out_a_new_template()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("paused", 2, "v1"));
        await _cp.RolledOutAsync("paused");
        await _cp.EditDeploymentAsync("paused", d =>
        {
            d.Spec!.Paused = true;
            d.Spec.Template.Spec!.Containers[0].Image = "v2";
        });

        await Eventually.True(
            () => _cp.Store.Get<Deployment>("default", "paused")!.Status?.Conditions?.Any(c => c.Reason == "DeploymentPaused") == true,
            TimeSpan.FromSeconds(10), "Progressing reason DeploymentPaused");
        Assert.Single(_cp.ReplicaSets("app=paused"));
        Assert.All(_cp.Pods("app=paused"), p => Assert.Equal("v1", p.Spec!.Containers[0].Image));

        await _cp.EditDeploymentAsync("paused", d => d.Spec!.Paused = false);
        await _cp.RolledOutAsync("paused");
        Assert.All(_cp.Pods("app=paused"), p => Assert.Equal("v2", p.Spec!.Containers[0].Image));
    }

    [Fact]
    public async Task Revision_history_limit_deletes_the_oldest_scaled_down_replicasets()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("hist", 1, "v1", d => d.Spec!.RevisionHistoryLimit = 1));
        await _cp.RolledOutAsync("hist");
        foreach (var image in new[] { "v2", "v3", "v4" })
        {
            await _cp.SetImageAsync("hist", image);
            await _cp.RolledOutAsync("hist");
        }

        var rs = await Eventually.Until(() => _cp.ReplicaSets("app=hist"), l => l.Count == 2, TimeSpan.FromSeconds(10), "current + 1 old replicaset");
        Assert.Equal(new[] { "3", "4" }, rs.Select(r => r.Metadata.Annotations![DeploymentAnnotations.Revision]).OrderBy(x => x));
    }

    [Fact]
    public async Task Min_ready_seconds_delays_availability()
    {
        await _cp.Store.CreateAsync(ControlPlane.NewDeployment("slow", 2, edit: d => d.Spec!.MinReadySeconds = 2));
        var ready = await Eventually.Until(
            () => _cp.Store.Get<Deployment>("default", "slow")!,
            d => d.Status?.ReadyReplicas == 2,
            TimeSpan.FromSeconds(10), "2 ready replicas");
        var readyAt = DateTime.UtcNow;
        Assert.NotEqual(2, ready.Status!.AvailableReplicas);

        await _cp.RolledOutAsync("slow");
        Assert.True(DateTime.UtcNow - readyAt >= TimeSpan.FromSeconds(1), "available before minReadySeconds passed");
        await Eventually.True(() => _cp.Store.Get<ReplicaSet>("default", _cp.ReplicaSets("app=slow").Single().Metadata.Name!)!.Status?.AvailableReplicas == 2, TimeSpan.FromSeconds(5), "replicaset status available 2");
    }
}
