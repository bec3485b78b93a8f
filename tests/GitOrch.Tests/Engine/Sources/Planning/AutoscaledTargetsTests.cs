using GitOrch.Api.Model;
using GitOrch.Engine.Sources;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Planning;

/// <summary>
/// HPA and GitOps agree: a workload a HorizontalPodAutoscaler scales keeps the HPA's replica count through applies of
/// the source (no flapping, no drift), and the plan says so.
/// </summary>
[Trait("Requires", "Git")]
public sealed class AutoscaledTargetsTests : IAsyncLifetime
{
    private const string Hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: web
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: web
          minReplicas: 1
          maxReplicas: 4
          metrics:
          - type: Resource
            resource:
              name: cpu
              target:
                type: Utilization
                averageUtilization: 50
        """;

    private readonly SourceHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Replicas_scaled_by_an_hpa_survive_applies_and_the_plan_notes_it()
    {
        _h.Repo.Write("web.yaml", Manifests.Deployment("web", replicas: 1)).Write("hpa.yaml", Hpa).Write("cm.yaml", Manifests.ConfigMap("cm", "one"));
        _h.Repo.Commit("first");
        await _h.CreateSourceAsync(_h.Repo.FileUrl);
        await _h.ReconcileAsync();
        Assert.Equal(1, _h.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
        Assert.NotNull(_h.Store.Get<HorizontalPodAutoscaler>("default", "web"));

        // The HPA scales the Deployment up, as its controller would through the scale subresource.
        var d = _h.Store.Get<Deployment>("default", "web")!;
        d.Spec!.Replicas = 3;
        await _h.Store.UpdateAsync(d);

        _h.Repo.Write("cm.yaml", Manifests.ConfigMap("cm", "two"));
        _h.Repo.Commit("second");
        await _h.ReconcileAsync();

        Assert.Equal(3, _h.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
        Assert.Equal("two", _h.Store.Get<ConfigMap>("default", "cm")!.Data!["key"]);
        var ready = _h.Condition(SourceConditions.Ready)!;
        Assert.Contains("1 updated", ready.Message, StringComparison.Ordinal);

        var plan = await _h.Reconciler.PlanAsync("default", "app", null, CancellationToken.None);
        Assert.Equal(0, plan.Updates);
        Assert.Contains("Deployment default/web: spec.replicas is left to HorizontalPodAutoscaler web (live 3)", plan.Notes);
    }

    [Fact]
    public async Task Without_an_hpa_replicas_drift_is_still_reverted()
    {
        _h.Repo.Write("web.yaml", Manifests.Deployment("web", replicas: 2));
        _h.Repo.Commit("first");
        await _h.CreateSourceAsync(_h.Repo.FileUrl);
        await _h.ReconcileAsync();
        var d = _h.Store.Get<Deployment>("default", "web")!;
        d.Spec!.Replicas = 5;
        await _h.Store.UpdateAsync(d);

        var plan = await _h.Reconciler.PlanAsync("default", "app", null, CancellationToken.None);
        Assert.Equal(1, plan.Updates);
        Assert.Empty(plan.Notes);
    }
}
