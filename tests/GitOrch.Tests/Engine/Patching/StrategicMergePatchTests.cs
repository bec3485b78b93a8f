using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Engine.Patching;
using Xunit;

namespace GitOrch.Tests.Engine.Patching;

/// <summary>Strategic merge patch, case by case from Kubernetes' documented semantics (api-machinery strategic-merge-patch.md).</summary>
public sealed class StrategicMergePatchTests
{
    private const string TwoContainers = """
        {"spec":{"containers":[
          {"name":"web","image":"web:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80},{"containerPort":443}],"args":["x","y"]},
          {"name":"side","image":"side:1"}]}}
        """;

    public static TheoryData<string, string, string, string> PodCases => new()
    {
        {
            "containers merge by name: the untouched container stays",
            TwoContainers,
            """{"spec":{"containers":[{"name":"web","image":"web:2"}]}}""",
            """{"spec":{"containers":[{"name":"web","image":"web:2","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80},{"containerPort":443}],"args":["x","y"]},{"name":"side","image":"side:1"}]}}"""
        },
        {
            "a container with a new name is appended",
            """{"spec":{"containers":[{"name":"web","image":"web:1"}]}}""",
            """{"spec":{"containers":[{"name":"log","image":"log:1"}]}}""",
            """{"spec":{"containers":[{"name":"web","image":"web:1"},{"name":"log","image":"log:1"}]}}"""
        },
        {
            "$patch: delete removes the list item with that key",
            TwoContainers,
            """{"spec":{"containers":[{"name":"web","$patch":"delete"}]}}""",
            """{"spec":{"containers":[{"name":"side","image":"side:1"}]}}"""
        },
        {
            "a {$patch: replace} item replaces the whole list",
            TwoContainers,
            """{"spec":{"containers":[{"name":"only","image":"o:1"},{"$patch":"replace"}]}}""",
            """{"spec":{"containers":[{"name":"only","image":"o:1"}]}}"""
        },
        {
            "env merges by name, ports by containerPort, args (no strategy) is replaced",
            TwoContainers,
            """{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}],"ports":[{"containerPort":443,"name":"tls"}],"args":["z"]}]}}""",
            """{"spec":{"containers":[{"name":"web","image":"web:1","env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}],"ports":[{"containerPort":80},{"containerPort":443,"name":"tls"}],"args":["z"]},{"name":"side","image":"side:1"}]}}"""
        },
        {
            "null deletes a field; maps merge key by key",
            """{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"nodeName":"n1","containers":[]}}""",
            """{"metadata":{"labels":{"b":null,"c":"3"}},"spec":{"nodeName":null}}""",
            """{"metadata":{"labels":{"a":"1","c":"3"}},"spec":{"containers":[]}}"""
        },
        {
            "$patch: replace on an object replaces it",
            """{"metadata":{"labels":{"a":"1","b":"2"}}}""",
            """{"metadata":{"labels":{"$patch":"replace","c":"3"}}}""",
            """{"metadata":{"labels":{"c":"3"}}}"""
        },
        {
            "$setElementOrder orders the merged list by its merge key",
            TwoContainers,
            """{"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"web"}],"containers":[{"name":"side","image":"side:2"}]}}""",
            """{"spec":{"containers":[{"name":"side","image":"side:2"},{"name":"web","image":"web:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80},{"containerPort":443}],"args":["x","y"]}]}}"""
        },
        {
            "finalizers (merge, no key) take the union of values",
            """{"metadata":{"finalizers":["a","b"]}}""",
            """{"metadata":{"finalizers":["b","c"]}}""",
            """{"metadata":{"finalizers":["a","b","c"]}}"""
        },
        {
            "$deleteFromPrimitiveList removes values from a merged list of scalars",
            """{"metadata":{"finalizers":["a","b","c"]}}""",
            """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}""",
            """{"metadata":{"finalizers":["a","c"]}}"""
        },
        {
            "status conditions merge by type",
            """{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}""",
            """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""",
            """{"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}}"""
        },
        {
            "volumes merge by name with retainKeys: the other source of a volume goes",
            """{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c"}}]}}""",
            """{"spec":{"volumes":[{"name":"data","$retainKeys":["name","hostPath"],"hostPath":{"path":"/d"}}]}}""",
            """{"spec":{"volumes":[{"name":"data","hostPath":{"path":"/d"}},{"name":"cfg","configMap":{"name":"c"}}]}}"""
        },
        {
            "fields the model does not know merge like a JSON merge patch",
            """{"spec":{"containers":[],"futureField":{"a":1,"b":[1,2]}}}""",
            """{"spec":{"futureField":{"b":[3],"c":true}}}""",
            """{"spec":{"containers":[],"futureField":{"a":1,"b":[3],"c":true}}}"""
        },
    };

    [Theory]
    [MemberData(nameof(PodCases))]
    public void Applies_kubernetes_semantics_to_a_pod(string because, string original, string patch, string expected)
    {
        var result = StrategicMergePatch.Apply(Obj(original), Obj(patch), typeof(Pod));
        Assert.True(JsonNode.DeepEquals(Obj(expected), result), $"{because}: got {result.ToJsonString()}");
    }

    [Fact]
    public void RetainKeys_on_a_deployment_strategy_drops_the_rolling_update_when_switching_to_recreate()
    {
        var original = Obj("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"template":{}}}""");
        var patch = Obj("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");
        var result = StrategicMergePatch.Apply(original, patch, typeof(Deployment));
        Assert.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public void Service_ports_merge_by_port()
    {
        var original = Obj("""{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443}]}}""");
        var result = StrategicMergePatch.Apply(original, Obj("""{"spec":{"ports":[{"port":80,"name":"http"}]}}"""), typeof(Service));
        Assert.Equal("""[{"port":80,"targetPort":8080,"name":"http"},{"port":443}]""", result["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void Leaves_the_original_unchanged()
    {
        var original = Obj(TwoContainers);
        var before = original.ToJsonString();
        StrategicMergePatch.Apply(original, Obj("""{"spec":{"containers":[{"name":"web","$patch":"delete"}]}}"""), typeof(Pod));
        Assert.Equal(before, original.ToJsonString());
    }

    [Fact]
    public void An_item_without_the_merge_key_is_refused_naming_its_path()
    {
        var e = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Obj(TwoContainers), Obj("""{"spec":{"containers":[{"image":"x"}]}}"""), typeof(Pod)));
        Assert.Equal("spec.containers[0]", e.Path);
        Assert.Contains("merge key \"name\"", e.Message, StringComparison.Ordinal);
        Assert.False(e.Malformed);
    }

    [Fact]
    public void An_unknown_directive_is_a_malformed_patch_naming_its_path()
    {
        var e = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Obj(TwoContainers), Obj("""{"spec":{"containers":[{"name":"web","$patch":"explode"}]}}"""), typeof(Pod)));
        Assert.Equal("spec.containers[name=\"web\"].$patch", e.Path);
        Assert.True(e.Malformed);
    }

    [Fact]
    public void A_scalar_item_in_a_keyed_list_is_malformed()
    {
        var e = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Obj(TwoContainers), Obj("""{"spec":{"containers":["web"]}}"""), typeof(Pod)));
        Assert.Equal("spec.containers[0]", e.Path);
        Assert.True(e.Malformed);
    }

    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;
}
