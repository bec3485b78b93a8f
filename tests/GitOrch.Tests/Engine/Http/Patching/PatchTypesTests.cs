using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using k8s;
using k8s.Models;
using Xunit;

namespace GitOrch.Tests.Engine.Http.Patching;

/// <summary>Every patch type over HTTP, on objects and on the status and scale subresources, and its errors.</summary>
public sealed class PatchTypesTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    private TestEngine _engine = null!;
    private RawHttp _raw = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _raw = new RawHttp(_engine, _engine.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        var pod = Objects.Pod("p");
        pod.Spec!.Containers.Add(new Container { Name = "side", Image = "side:1" });
        await _engine.Client.CreateAsync(pod);

        var (code, body) = await _raw.SendAsync("PATCH", Pods + "/p", """{"spec":{"containers":[{"name":"side","image":"side:2"}]}}""", "application/strategic-merge-patch+json");
        Assert.Equal(200, code);
        var stored = _engine.Store.Get<Pod>("default", "p")!;
        Assert.Equal(["main", "side"], stored.Spec!.Containers.Select(c => c.Name));
        Assert.Equal("side:2", stored.Spec.Containers[1].Image);
        Assert.Contains("side:2", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_patch_applies_to_an_object()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("web"));
        var (code, _) = await _raw.SendAsync("PATCH", Deployments + "/web",
            """[{"op":"test","path":"/spec/replicas","value":1},{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels","value":{"tier":"front"}}]""",
            "application/json-patch+json");
        Assert.Equal(200, code);
        var stored = _engine.Store.Get<Deployment>("default", "web")!;
        Assert.Equal(3, stored.Spec!.Replicas);
        Assert.Equal("front", stored.Metadata.Labels!["tier"]);
    }

    [Fact]
    public async Task Status_subresource_takes_a_strategic_merge_patch_of_conditions()
    {
        var pod = await _engine.Client.CreateAsync(Objects.Pod("s"));
        pod.Status = new PodStatus { Conditions = [new Condition { Type = "Ready", Status = "False" }, new Condition { Type = "PodScheduled", Status = "True" }] };
        await _engine.Client.ReplaceStatusAsync(pod);

        var (code, _) = await _raw.SendAsync("PATCH", Pods + "/s/status", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""", "application/strategic-merge-patch+json");
        Assert.Equal(200, code);
        var conditions = _engine.Store.Get<Pod>("default", "s")!.Status!.Conditions!;
        Assert.Equal([("Ready", "True"), ("PodScheduled", "True")], conditions.Select(c => (c.Type, c.Status)));
    }

    [Fact]
    public async Task Scale_subresource_takes_a_json_patch()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("sc"));
        var (code, body) = await _raw.SendAsync("PATCH", Deployments + "/sc/scale", """[{"op":"replace","path":"/spec/replicas","value":4}]""", "application/json-patch+json");
        Assert.Equal(200, code);
        Assert.Contains("\"replicas\":4", body, StringComparison.Ordinal);
        Assert.Equal(4, _engine.Store.Get<Deployment>("default", "sc")!.Spec!.Replicas);
    }

    [Fact]
    public async Task A_failing_json_patch_is_422_naming_the_operation_and_path_and_stores_nothing()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("f"));
        var revision = _engine.Store.Revision;
        var status = await _raw.StatusAsync("PATCH", Deployments + "/f", """[{"op":"remove","path":"/spec/paused"}]""", "application/json-patch+json");
        Assert.Equal(422, status.Code);
        Assert.Contains("[0] remove /spec/paused", status.Message, StringComparison.Ordinal);
        Assert.Equal(revision, _engine.Store.Revision);
    }

    [Fact]
    public async Task A_malformed_strategic_patch_is_400_naming_the_path()
    {
        await _engine.Client.CreateAsync(Objects.Pod("m"));
        var status = await _raw.StatusAsync("PATCH", Pods + "/m", """{"spec":{"containers":["main"]}}""", "application/strategic-merge-patch+json");
        Assert.Equal(400, status.Code);
        Assert.Contains("spec.containers[0]", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patched_object_of_the_wrong_shape_is_422()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("w"));
        var status = await _raw.StatusAsync("PATCH", Deployments + "/w", """[{"op":"replace","path":"/spec/replicas","value":"many"}]""", "application/json-patch+json");
        Assert.Equal(422, status.Code);
    }

    [Fact]
    public async Task The_kubernetes_client_sends_every_patch_type()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("kc"));
        using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_engine.KubeconfigPath));

        await kube.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""[{"op":"replace","path":"/spec/replicas","value":2}]""", V1Patch.PatchType.JsonPatch), "kc", "default");
        await kube.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"a":"1"}}}""", V1Patch.PatchType.MergePatch), "kc", "default");
        var patched = await kube.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"web:2"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "kc", "default");

        Assert.Equal(2, patched.Spec.Replicas);
        Assert.Equal("1", patched.Metadata.Labels["a"]);
        Assert.Equal("web:2", Assert.Single(patched.Spec.Template.Spec.Containers).Image);
        Assert.Equal("web:2", KubeJson.Clone(_engine.Store.Get<Deployment>("default", "kc")!).Spec!.Template.Spec!.Containers[0].Image);
    }
}
