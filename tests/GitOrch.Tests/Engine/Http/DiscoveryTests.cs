using System.Text.Json.Nodes;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Http;

/// <summary>Discovery as kubectl reads it: short names, the <c>all</c> category, verbs and subresources per resource.</summary>
public sealed class DiscoveryTests : IAsyncLifetime
{
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

    [Theory]
    [InlineData("/api/v1", "pods", "po", true)]
    [InlineData("/api/v1", "services", "svc", true)]
    [InlineData("/api/v1", "namespaces", "ns", false)]
    [InlineData("/api/v1", "nodes", "no", false)]
    [InlineData("/api/v1", "configmaps", "cm", false)]
    [InlineData("/api/v1", "events", "ev", false)]
    [InlineData("/api/v1", "endpoints", "ep", false)]
    [InlineData("/apis/apps/v1", "deployments", "deploy", true)]
    [InlineData("/apis/apps/v1", "replicasets", "rs", true)]
    [InlineData("/apis/apps/v1", "daemonsets", "ds", true)]
    [InlineData("/apis/apps/v1", "statefulsets", "sts", true)]
    [InlineData("/apis/batch/v1", "cronjobs", "cj", true)]
    [InlineData("/apis/batch/v1", "jobs", null, true)]
    public async Task Resources_carry_kubernetes_short_names_and_categories(string groupVersion, string plural, string? shortName, bool inAll)
    {
        var resource = await ResourceAsync(groupVersion, plural);
        Assert.Equal(shortName, (string?)resource["shortNames"]?[0]);
        Assert.Equal(inAll, resource["categories"]?.AsArray().Any(c => (string?)c == "all") == true);
        Assert.Equal(["create", "delete", "get", "list", "patch", "update", "watch"], resource["verbs"]!.AsArray().Select(v => (string)v!));
    }

    [Theory]
    [InlineData("/api/v1", "pods/status")]
    [InlineData("/api/v1", "pods/log")]
    [InlineData("/api/v1", "pods/binding")]
    [InlineData("/apis/apps/v1", "deployments/scale")]
    public async Task Subresources_are_listed(string groupVersion, string name)
        => await ResourceAsync(groupVersion, name);

    private async Task<JsonObject> ResourceAsync(string groupVersion, string name)
    {
        var (code, body) = await _raw.SendAsync("GET", groupVersion);
        Assert.Equal(200, code);
        var resources = JsonNode.Parse(body)!["resources"]!.AsArray();
        return Assert.Single(resources, r => (string?)r!["name"] == name)!.AsObject();
    }
}
