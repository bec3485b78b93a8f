using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;
using GitOrch.Tests.Infrastructure.Autoscaling;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Controllers.Autoscaling;

/// <summary>
/// The HPA controller on a real store with a driven clock: scale up through the scale subresource's code path, status
/// and events in upstream's words, the scale-down stabilization window, and bad input reported, never thrown.
/// </summary>
public sealed class HorizontalPodAutoscalerReconcilerTests : IAsyncLifetime
{
    private HpaHarness _h = null!;

    public async Task InitializeAsync() => _h = await HpaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<Deployment> DeploymentAsync(string name, int replicas)
    {
        var d = Objects.Deployment(name, replicas);
        d.Spec!.Template.Spec!.Containers[0].Resources = new ResourceRequirements { Requests = new() { ["cpu"] = Quantity.Parse("100m") } };
        return await _h.Store.CreateAsync(d);
    }

    private HorizontalPodAutoscaler HpaNow(string name) => _h.Store.Get<HorizontalPodAutoscaler>("default", name)!;

    [Fact]
    public async Task Cpu_above_target_scales_the_deployment_up_to_max_with_status_and_event()
    {
        await DeploymentAsync("web", 1);
        var pods = await _h.RunPodsAsync("web", 1);
        _h.Report(pods, 250);
        await _h.Store.CreateAsync(HpaHarness.Hpa("web", "Deployment", "web", 1, 4, 50));

        var result = await _h.SyncAsync("web");

        Assert.Equal(ReconcileOutcome.RequeueAfter, result.Outcome);
        Assert.Equal(4, _h.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
        var status = HpaNow("web").Status!;
        Assert.Equal(1, status.CurrentReplicas);
        Assert.Equal(4, status.DesiredReplicas);
        Assert.NotNull(status.LastScaleTime);
        Assert.Equal(250, status.CurrentMetrics![0].Resource!.Current.AverageUtilization);
        Assert.Equal("250m", status.CurrentMetrics[0].Resource!.Current.AverageValue!.Value.ToString());
        AssertCondition(status, AutoscalingWords.AbleToScale, ConditionStatus.True, "SucceededRescale");
        AssertCondition(status, AutoscalingWords.ScalingActive, ConditionStatus.True, "ValidMetricFound");
        AssertCondition(status, AutoscalingWords.ScalingLimited, ConditionStatus.True, "TooManyReplicas");
        Assert.Contains(_h.Events.Events, e => e.Reason == "SuccessfulRescale" && e.Message == "New size: 4; reason: cpu resource utilization (percentage of request) above target");
    }

    [Fact]
    public async Task Scale_down_waits_out_the_stabilization_window()
    {
        await DeploymentAsync("web", 4);
        var pods = await _h.RunPodsAsync("web", 4);
        _h.Report(pods, 5);
        await _h.Store.CreateAsync(HpaHarness.Hpa("web", "Deployment", "web", 1, 4, 50, downWindowSeconds: 10));

        await _h.SyncAsync("web");
        Assert.Equal(4, _h.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
        AssertCondition(HpaNow("web").Status!, AutoscalingWords.AbleToScale, ConditionStatus.True, "ScaleDownStabilized");

        _h.Clock.Advance(TimeSpan.FromSeconds(11));
        _h.Report(pods, 5);
        await _h.SyncAsync("web");
        Assert.Equal(1, _h.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
        Assert.Contains(_h.Events.Events, e => e.Reason == "SuccessfulRescale" && e.Message == "New size: 1; reason: All metrics below target");
    }

    [Fact]
    public async Task Within_tolerance_nothing_is_written_to_the_target()
    {
        var d = await DeploymentAsync("web", 2);
        var pods = await _h.RunPodsAsync("web", 2);
        _h.Report(pods, 52);
        await _h.Store.CreateAsync(HpaHarness.Hpa("web", "Deployment", "web", 1, 4, 50));

        await _h.SyncAsync("web");

        var after = _h.Store.Get<Deployment>("default", "web")!;
        Assert.Equal(d.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
        Assert.Equal(2, HpaNow("web").Status!.DesiredReplicas);
        Assert.DoesNotContain(_h.Events.Events, e => e.Reason == "SuccessfulRescale");
    }

    [Fact]
    public async Task Replica_sets_and_stateful_sets_scale_too()
    {
        var rs = new ReplicaSet
        {
            Metadata = new ObjectMeta { Name = "rs", Namespace = "default" },
            Spec = new ReplicaSetSpec { Replicas = 1, Selector = new LabelSelector { MatchLabels = new() { ["app"] = "rs" } }, Template = Objects.Deployment("rs").Spec!.Template },
        };
        await _h.Store.CreateAsync(rs);
        var sts = new StatefulSet
        {
            Metadata = new ObjectMeta { Name = "sts", Namespace = "default" },
            Spec = new StatefulSetSpec { Replicas = 1, Selector = new LabelSelector { MatchLabels = new() { ["app"] = "sts" } }, Template = Objects.Deployment("sts").Spec!.Template },
        };
        await _h.Store.CreateAsync(sts);
        _h.Report([.. await _h.RunPodsAsync("rs", 1), .. await _h.RunPodsAsync("sts", 1)], 100);
        await _h.Store.CreateAsync(HpaHarness.Hpa("rs", "ReplicaSet", "rs", 1, 3, 50));
        await _h.Store.CreateAsync(HpaHarness.Hpa("sts", "StatefulSet", "sts", 1, 3, 50));

        await _h.SyncAsync("rs");
        await _h.SyncAsync("sts");

        Assert.Equal(2, _h.Store.Get<ReplicaSet>("default", "rs")!.Spec!.Replicas);
        Assert.Equal(2, _h.Store.Get<StatefulSet>("default", "sts")!.Spec!.Replicas);
    }

    [Fact]
    public async Task A_missing_target_is_FailedGetScale_with_an_event()
    {
        await _h.Store.CreateAsync(HpaHarness.Hpa("ghost", "Deployment", "nope", 1, 4, 50));

        var result = await _h.SyncAsync("ghost");

        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        var status = HpaNow("ghost").Status!;
        AssertCondition(status, AutoscalingWords.AbleToScale, ConditionStatus.False, "FailedGetScale");
        AssertCondition(status, AutoscalingWords.ScalingActive, ConditionStatus.False, "FailedGetScale");
        Assert.Contains(_h.Events.Events, e => e.Reason == "FailedGetScale" && e.Message == "deployments.apps \"nope\" not found");
    }

    [Fact]
    public async Task A_kind_without_scale_is_FailedGetScale()
    {
        var hpa = HpaHarness.Hpa("cm", "ConfigMap", "x", 1, 4, 50);
        hpa.Spec!.ScaleTargetRef.ApiVersion = "v1";
        await _h.Store.CreateAsync(hpa);
        await _h.SyncAsync("cm");
        Assert.Contains(_h.Events.Events, e => e.Reason == "FailedGetScale" && e.Message.Contains("no matches for kind \"ConfigMap\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_target_without_requests_is_FailedGetResourceMetric_and_keeps_its_replicas()
    {
        await _h.Store.CreateAsync(Objects.Deployment("web", 2));
        var pods = await _h.RunPodsAsync("web", 2, cpuRequest: null);
        _h.Report(pods, 500);
        await _h.Store.CreateAsync(HpaHarness.Hpa("web", "Deployment", "web", 1, 4, 50));

        var result = await _h.SyncAsync("web");

        Assert.Equal(ReconcileOutcome.RequeueAfter, result.Outcome);
        Assert.Equal(2, _h.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
        var status = HpaNow("web").Status!;
        AssertCondition(status, AutoscalingWords.ScalingActive, ConditionStatus.False, "FailedGetResourceMetric");
        Assert.Contains(_h.Events.Events, e => e.Reason == "FailedGetResourceMetric" && e.Message == "failed to get cpu utilization: missing request for cpu in container app of Pod web-0");
    }

    [Fact]
    public async Task No_metrics_yet_is_FailedGetResourceMetric()
    {
        await DeploymentAsync("web", 1);
        await _h.RunPodsAsync("web", 1);
        await _h.Store.CreateAsync(HpaHarness.Hpa("web", "Deployment", "web", 1, 4, 50));

        await _h.SyncAsync("web");

        AssertCondition(HpaNow("web").Status!, AutoscalingWords.ScalingActive, ConditionStatus.False, "FailedGetResourceMetric");
        Assert.Contains(_h.Events.Events, e => e.Reason == "FailedGetResourceMetric" && e.Message.Contains("no metrics returned from resource metrics API", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replicas_below_min_are_raised_without_metrics()
    {
        await DeploymentAsync("web", 1);
        await _h.Store.CreateAsync(HpaHarness.Hpa("web", "Deployment", "web", 3, 5, 50));
        await _h.SyncAsync("web");
        Assert.Equal(3, _h.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
        Assert.Contains(_h.Events.Events, e => e.Message == "New size: 3; reason: Current number of replicas below Spec.MinReplicas");
    }

    private static void AssertCondition(HorizontalPodAutoscalerStatus status, string type, string value, string reason)
    {
        var c = Conditions.Find(status.Conditions, type);
        Assert.True(c != null, $"no {type} condition");
        Assert.True(c!.Status == value && c.Reason == reason, $"{type} is {c.Status}/{c.Reason} ({c.Message}), expected {value}/{reason}");
    }
}
