using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Engine.Http.Tables;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Http.Tables;

/// <summary>Server-side printing: <c>Accept: application/json;as=Table;g=meta.k8s.io;v=v1</c> on list and get, with kubectl's columns.</summary>
public sealed class TableWriterTests : IAsyncLifetime
{
    private const string KubectlAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
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
    public async Task Pods_list_with_kubectl_columns_and_metadata_objects()
    {
        var pod = await _engine.Client.CreateAsync(Objects.Pod("web-1"));
        pod.Status = new PodStatus { Phase = "Running", ContainerStatuses = [new ContainerStatus { Name = "main", Ready = true, RestartCount = 2 }] };
        await _engine.Client.ReplaceStatusAsync(pod);

        var table = await GetTableAsync("/api/v1/namespaces/default/pods", KubectlAccept);
        Assert.Equal(("Table", "meta.k8s.io/v1"), ((string?)table["kind"], (string?)table["apiVersion"]));
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node"], Columns(table));
        var row = Assert.Single(table["rows"]!.AsArray())!;
        Assert.Equal(["web-1", "1/1", "Running", "2"], row["cells"]!.AsArray().Take(4).Select(c => c!.ToString()));
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
        Assert.Equal("web-1", (string?)row["object"]!["metadata"]!["name"]);
        Assert.NotNull(table["metadata"]!["resourceVersion"]);
    }

    [Theory]
    [InlineData("/apis/apps/v1/namespaces/default/deployments", "Name,Ready,Up-to-date,Available,Age,Containers,Images,Selector")]
    [InlineData("/api/v1/namespaces/default/services", "Name,Type,Cluster-IP,External-IP,Port(s),Age,Selector")]
    [InlineData("/api/v1/namespaces/default/configmaps", "Name,Data,Age")]
    [InlineData("/api/v1/namespaces", "Name,Status,Age")]
    [InlineData("/apis/batch/v1/namespaces/default/cronjobs", "Name,Schedule,Suspend,Active,Last Schedule,Age")]
    public async Task Each_kind_has_kubernetes_columns(string path, string columns)
        => Assert.Equal(columns.Split(','), Columns(await GetTableAsync(path, KubectlAccept)));

    [Fact]
    public async Task Get_of_one_deployment_is_a_one_row_table_with_its_object()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("api", replicas: 3));
        var table = await GetTableAsync("/apis/apps/v1/namespaces/default/deployments/api?includeObject=Object", "application/json;as=Table;g=meta.k8s.io;v=v1beta1");
        Assert.Equal("meta.k8s.io/v1beta1", (string?)table["apiVersion"]);
        var row = Assert.Single(table["rows"]!.AsArray())!;
        Assert.Equal(["api", "0/3", "0", "0"], row["cells"]!.AsArray().Take(4).Select(c => c!.ToString()));
        Assert.Equal("Deployment", (string?)row["object"]!["kind"]);
        Assert.Equal(3, (int?)row["object"]!["spec"]!["replicas"]);
    }

    [Fact]
    public async Task IncludeObject_none_leaves_rows_without_objects()
    {
        await _engine.Client.CreateAsync(Objects.ConfigMap("c"));
        var table = await GetTableAsync("/api/v1/namespaces/default/configmaps?includeObject=None", KubectlAccept);
        Assert.Null(Assert.Single(table["rows"]!.AsArray())!["object"]);
    }

    [Fact]
    public async Task Plain_json_is_still_the_default()
    {
        await _engine.Client.CreateAsync(Objects.ConfigMap("c"));
        using var response = await _http.GetAsync("/api/v1/namespaces/default/configmaps");
        Assert.Equal("ConfigMapList", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["kind"]);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(200, "3m20s")]
    [InlineData(900, "15m")]
    [InlineData(5 * 3600 + 1800, "5h30m")]
    [InlineData(20 * 3600, "20h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(120 * 86400, "120d")]
    public void Ages_print_like_kubectl(int seconds, string expected)
        => Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    private static IEnumerable<string> Columns(JsonNode table) => table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!);

    private async Task<JsonNode> GetTableAsync(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }
}
