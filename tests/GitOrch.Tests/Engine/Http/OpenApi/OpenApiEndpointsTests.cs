using System.Net;
using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Http.OpenApi;

/// <summary>/openapi/v2 and /openapi/v3: every served kind defined with its GVK, merge keys, the parameters kubectl probes for, caching.</summary>
public sealed class OpenApiEndpointsTests : IAsyncLifetime
{
    private TestEngine _engine = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _http = _engine.CreateHttpClient(_engine.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task V2_defines_every_served_kind_with_its_group_version_kind()
    {
        var definitions = (await GetAsync("/openapi/v2"))["definitions"]!.AsObject();
        foreach (var kind in ResourceKinds.All)
        {
            var match = definitions.Where(d => d.Value!["x-kubernetes-group-version-kind"]?[0] is JsonObject gvk
                && (string?)gvk["group"] == kind.Group && (string?)gvk["version"] == kind.Version && (string?)gvk["kind"] == kind.Kind).ToList();
            Assert.True(match.Count == 1, $"{kind} has {match.Count} definitions");
        }

        Assert.True(definitions.ContainsKey("io.k8s.api.core.v1.Pod"));
        Assert.True(definitions.ContainsKey("io.k8s.api.apps.v1.Deployment"));
        Assert.True(definitions.ContainsKey("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    }

    [Theory]
    [InlineData("io.k8s.api.core.v1.PodSpec", "containers", "name", "merge")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "volumes", "name", "merge,retainKeys")]
    [InlineData("io.k8s.api.core.v1.Container", "env", "name", "merge")]
    [InlineData("io.k8s.api.core.v1.Container", "ports", "containerPort", "merge")]
    [InlineData("io.k8s.api.core.v1.Container", "volumeMounts", "mountPath", "merge")]
    [InlineData("io.k8s.api.core.v1.ServiceSpec", "ports", "port", "merge")]
    [InlineData("io.k8s.api.core.v1.PodStatus", "conditions", "type", "merge")]
    [InlineData("io.k8s.api.apps.v1.DeploymentStatus", "conditions", "type", "merge")]
    public async Task V2_carries_kubernetes_patch_merge_keys(string definition, string field, string mergeKey, string strategy)
    {
        var property = (await GetAsync("/openapi/v2"))["definitions"]![definition]!["properties"]![field]!;
        Assert.Equal(mergeKey, (string?)property["x-kubernetes-patch-merge-key"]);
        Assert.Equal(strategy, (string?)property["x-kubernetes-patch-strategy"]);
    }

    [Fact]
    public async Task V2_types_fields_like_kubernetes()
    {
        var definitions = (await GetAsync("/openapi/v2"))["definitions"]!;
        var container = definitions["io.k8s.api.core.v1.Container"]!;
        Assert.Contains("name", container["required"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("#/definitions/io.k8s.api.core.v1.ResourceRequirements", (string?)container["properties"]!["resources"]!["$ref"]);
        var limits = definitions["io.k8s.api.core.v1.ResourceRequirements"]!["properties"]!["limits"]!;
        Assert.Equal("object", (string?)limits["type"]);
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity", (string?)limits["additionalProperties"]!["$ref"]);
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString", (string?)definitions["io.k8s.api.core.v1.ServicePort"]!["properties"]!["targetPort"]!["$ref"]);
        Assert.Equal("int32", (string?)definitions["io.k8s.api.core.v1.ServicePort"]!["properties"]!["port"]!["format"]);
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time", (string?)definitions["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]!["properties"]!["creationTimestamp"]!["$ref"]);
    }

    [Fact]
    public async Task V2_patch_operations_take_dry_run_so_kubectl_diff_is_allowed()
    {
        var patch = (await GetAsync("/openapi/v2"))["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Equal("Deployment", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Contains("dryRun", patch["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
    }

    [Fact]
    public async Task V3_index_links_each_group_version_and_each_document_has_its_kinds()
    {
        var index = (await GetAsync("/openapi/v3"))["paths"]!.AsObject();
        var served = ResourceKinds.All.Select(k => k.Group == "" ? "api/" + k.Version : $"apis/{k.Group}/{k.Version}").Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(served, index.Select(p => p.Key).Order(StringComparer.Ordinal));
        var url = (string)index["apis/apps/v1"]!["serverRelativeURL"]!;
        Assert.StartsWith("/openapi/v3/apis/apps/v1?hash=", url, StringComparison.Ordinal);

        var apps = await GetAsync(url);
        Assert.Equal("3.0.0", (string?)apps["openapi"]);
        var deployment = apps["components"]!["schemas"]!["io.k8s.api.apps.v1.Deployment"]!;
        Assert.Equal("Deployment", (string?)deployment["x-kubernetes-group-version-kind"]![0]!["kind"]);
        var containers = apps["components"]!["schemas"]!["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!;
        Assert.Equal(("map", "name"), ((string?)containers["x-kubernetes-list-type"], (string?)containers["x-kubernetes-list-map-keys"]![0]));
        var patch = apps["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Contains("fieldValidation", patch["parameters"]!.AsArray().Select(p => (string?)p!["name"]));

        var core = await GetAsync("/openapi/v3/api/v1");
        Assert.NotNull(core["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}"]);
    }

    [Fact]
    public async Task Documents_carry_an_etag_and_answer_304_when_unchanged()
    {
        using var first = await _http.GetAsync("/openapi/v2");
        var etag = first.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await _http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task A_protobuf_only_request_is_406_and_one_that_also_takes_json_gets_json()
    {
        using var proto = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        proto.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        using var refused = await _http.SendAsync(proto);
        Assert.Equal(HttpStatusCode.NotAcceptable, refused.StatusCode);

        using var both = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        both.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json");
        using var served = await _http.SendAsync(both);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("application/json", served.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_unknown_group_version_is_404()
    {
        using var response = await _http.GetAsync("/openapi/v3/apis/nope/v1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
