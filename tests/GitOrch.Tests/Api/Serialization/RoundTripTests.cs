using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using Xunit;

namespace GitOrch.Tests.Api.Serialization;

/// <summary>Real Kubernetes objects, as the API server prints them, come back out of the model unchanged.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> Fixtures() => new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "kubernetes"), "*.json").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Kubernetes_json_round_trips_through_the_typed_model(string file)
    {
        var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "kubernetes", file));
        var head = JsonNode.Parse(original)!;
        Assert.True(ResourceKinds.TryFind((string?)head["apiVersion"], (string?)head["kind"], out var kind));

        var typed = (KubeObject)KubeJson.Deserialize(original, kind.Type);
        var written = KubeJson.Serialize(typed, kind.Type);

        var expected = WithoutNulls(head);
        var actual = WithoutNulls(JsonNode.Parse(written)!);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{file} changed in the round trip:\nexpected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
    }

    [Fact]
    public void Fields_the_model_does_not_know_are_kept_not_dropped()
    {
        var json = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":false}}],"priorityClassName":"high"}}""";
        var pod = KubeJson.Deserialize<Pod>(json);
        Assert.Contains("priorityClassName", pod.Spec!.UnknownFields!.Keys);
        Assert.Contains("securityContext", pod.Spec.Containers[0].UnknownFields!.Keys);
        Assert.Contains("\"priorityClassName\":\"high\"", KubeJson.Serialize(pod));
    }

    [Fact]
    public void Nulls_are_omitted_and_names_are_camelCase()
    {
        var json = KubeJson.Serialize(new ConfigMap { Metadata = new ObjectMeta { Name = "x" } });
        Assert.Equal("""{"metadata":{"name":"x"}}""", json);
    }

    [Fact]
    public void Times_are_written_as_rfc3339_utc()
    {
        var meta = new ObjectMeta { Name = "x", CreationTimestamp = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)) };
        Assert.Contains("\"creationTimestamp\":\"2024-05-01T10:00:00Z\"", KubeJson.Serialize(meta));
    }

    [Fact]
    public void Status_error_object_has_the_kubernetes_shape()
    {
        var json = KubeJson.Serialize(new Status { Outcome = "Failure", Reason = "NotFound", Code = 404, Message = "pods \"x\" not found" });
        var node = JsonNode.Parse(json)!;
        Assert.Equal("Status", (string?)node["kind"]);
        Assert.Equal("Failure", (string?)node["status"]);
        Assert.Equal(404, (int?)node["code"]);
    }

    private static JsonNode WithoutNulls(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                {
                    if (v != null)
                    {
                        copy[k] = WithoutNulls(v);
                    }
                }

                return copy;
            case JsonArray a:
                return new JsonArray(a.Select(x => x == null ? null : WithoutNulls(x)).ToArray());
            default:
                return node.DeepClone();
        }
    }
}
