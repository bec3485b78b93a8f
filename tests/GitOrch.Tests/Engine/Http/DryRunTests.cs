using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Http;

/// <summary><c>dryRun=All</c> on create, update, patch and delete: validated and admitted, answered, and nothing stored.</summary>
public sealed class DryRunTests : IAsyncLifetime
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
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
    public async Task Create_returns_the_object_and_stores_nothing()
    {
        var revision = _engine.Store.Revision;
        var (code, body) = await _raw.SendAsync("POST", ConfigMaps + "?dryRun=All", """{"metadata":{"name":"dry"},"data":{"a":"1"}}""");
        Assert.Equal(201, code);
        var answered = KubeJson.Deserialize<ConfigMap>(body);
        Assert.Equal("dry", answered.Name);
        Assert.False(string.IsNullOrEmpty(answered.Metadata.Uid));
        Assert.Null(answered.Metadata.ResourceVersion);
        Assert.Null(_engine.Store.Get<ConfigMap>("default", "dry"));
        Assert.Equal(revision, _engine.Store.Revision);
    }

    [Fact]
    public async Task Update_patch_and_delete_leave_the_stored_object_as_it_was()
    {
        var stored = await _engine.Client.CreateAsync(Objects.ConfigMap("keep"));
        var revision = _engine.Store.Revision;

        var put = await _raw.SendAsync("PUT", ConfigMaps + "/keep?dryRun=All", """{"metadata":{"name":"keep"},"data":{"key":"new"}}""");
        Assert.Equal(200, put.Code);
        Assert.Equal("new", KubeJson.Deserialize<ConfigMap>(put.Body).Data!["key"]);

        var patch = await _raw.SendAsync("PATCH", ConfigMaps + "/keep?dryRun=All", """[{"op":"replace","path":"/data/key","value":"patched"}]""", "application/json-patch+json");
        Assert.Equal(200, patch.Code);
        var patched = KubeJson.Deserialize<ConfigMap>(patch.Body);
        Assert.Equal("patched", patched.Data!["key"]);
        Assert.Equal(stored.Metadata.ResourceVersion, patched.Metadata.ResourceVersion);

        var delete = await _raw.SendAsync("DELETE", ConfigMaps + "/keep?dryRun=All");
        Assert.Equal(200, delete.Code);
        var deleteInBody = await _raw.SendAsync("DELETE", ConfigMaps + "/keep", """{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"]}""");
        Assert.Equal(200, deleteInBody.Code);

        Assert.Equal(revision, _engine.Store.Revision);
        var now = _engine.Store.Get<ConfigMap>("default", "keep")!;
        Assert.Equal("value", now.Data!["key"]);
        Assert.Equal(stored.Metadata.ResourceVersion, now.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Validation_still_runs()
    {
        var status = await _raw.StatusAsync("POST", "/api/v1/namespaces/default/pods?dryRun=All", """{"metadata":{"name":"bad"},"spec":{"containers":[]}}""");
        Assert.Equal(422, status.Code);
        Assert.Null(_engine.Store.Get<Pod>("default", "bad"));
    }

    [Fact]
    public async Task Admission_still_runs_a_duplicate_name_is_409()
    {
        await _engine.Client.CreateAsync(Objects.ConfigMap("taken"));
        var status = await _raw.StatusAsync("POST", ConfigMaps + "?dryRun=All", """{"metadata":{"name":"taken"}}""");
        Assert.Equal(409, status.Code);
        Assert.Equal("AlreadyExists", status.Reason);
    }

    [Fact]
    public async Task Scale_dry_run_does_not_change_replicas()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("web", replicas: 1));
        var (code, body) = await _raw.SendAsync("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale?dryRun=All", """{"spec":{"replicas":5}}""", "application/merge-patch+json");
        Assert.Equal(200, code);
        Assert.Contains("\"replicas\":5", body, StringComparison.Ordinal);
        Assert.Equal(1, _engine.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
    }
}
