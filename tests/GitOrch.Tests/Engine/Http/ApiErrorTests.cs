using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Http;

/// <summary>Every refusal is a Kubernetes Status with the right code and reason, and leaves nothing written.</summary>
public sealed class ApiErrorTests : IAsyncLifetime
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private TestEngine _engine = null!;
    private RawHttp _admin = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _admin = new RawHttp(_engine, _engine.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Malformed_json_returns_400_and_writes_nothing()
    {
        var before = _engine.Store.Revision;
        var status = await _admin.StatusAsync("POST", ConfigMaps, "{\"metadata\":{\"name\":\"x\"");
        Assert.Equal(400, status.Code);
        Assert.Equal("BadRequest", status.Reason);
        Assert.Equal(before, _engine.Store.Revision);
    }

    [Fact]
    public async Task Json_of_the_wrong_shape_returns_400()
    {
        var status = await _admin.StatusAsync("POST", ConfigMaps, "[1,2,3]");
        Assert.Equal(400, status.Code);
        var typed = await _admin.StatusAsync("POST", ConfigMaps, "{\"metadata\":{\"name\":\"x\"},\"data\":\"not-a-map\"}");
        Assert.Equal(400, typed.Code);
    }

    [Fact]
    public async Task Wrong_content_type_returns_415()
    {
        var status = await _admin.StatusAsync("POST", ConfigMaps, "{\"metadata\":{\"name\":\"x\"}}", "text/plain");
        Assert.Equal(415, status.Code);
        Assert.Equal("UnsupportedMediaType", status.Reason);
        Assert.Null(_engine.Store.Get<ConfigMap>("default", "x"));
    }

    [Fact]
    public async Task Patch_with_plain_json_content_type_returns_415()
    {
        await _engine.Client.CreateAsync(Objects.ConfigMap("p"));
        var status = await _admin.StatusAsync("PATCH", ConfigMaps + "/p", "{\"data\":{\"a\":\"b\"}}", "application/json");
        Assert.Equal(415, status.Code);
    }

    [Fact]
    public async Task Invalid_name_returns_422_with_the_field_path()
    {
        var status = await _admin.StatusAsync("POST", ConfigMaps, "{\"metadata\":{\"name\":\"Not_Valid\"}}");
        Assert.Equal(422, status.Code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Contains(status.Details!.Causes!, c => c.Field == "metadata.name");
        Assert.Empty(_engine.Store.List<ConfigMap>("default"));
    }

    [Fact]
    public async Task Deployment_whose_selector_misses_the_template_labels_returns_422()
    {
        var body = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"other"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}}
            """;
        var status = await _admin.StatusAsync("POST", "/apis/apps/v1/namespaces/default/deployments", body);
        Assert.Equal(422, status.Code);
        Assert.Contains(status.Details!.Causes!, c => c.Field!.StartsWith("spec.", StringComparison.Ordinal));
        Assert.Null(_engine.Store.Get<Deployment>("default", "web"));
    }

    [Fact]
    public async Task Missing_required_field_returns_422()
    {
        var status = await _admin.StatusAsync("POST", "/apis/apps/v1/namespaces/default/deployments", "{\"metadata\":{\"name\":\"nospec\"}}");
        Assert.Equal(422, status.Code);
        Assert.Contains(status.Details!.Causes!, c => c.Field == "spec");
    }

    [Theory]
    [InlineData("/api/v1/widgets")]
    [InlineData("/api/v1/namespaces/default/widgets/a")]
    [InlineData("/apis/nosuch.io/v1/things")]
    [InlineData("/api/v2/pods")]
    [InlineData("/api/v1/namespaces/default/configmaps/missing")]
    [InlineData("/api/v1/namespaces/default/configmaps/missing/status")]
    [InlineData("/api/v1/namespaces/default/pods/p/nosuchsubresource")]
    [InlineData("/nothing/here")]
    public async Task Unknown_path_kind_or_object_returns_404(string path)
    {
        var status = await _admin.StatusAsync("GET", path);
        Assert.Equal(404, status.Code);
        Assert.Equal("NotFound", status.Reason);
    }

    [Fact]
    public async Task Missing_or_wrong_token_returns_401()
    {
        using var anonymous = new RawHttp(_engine, null);
        using var wrong = new RawHttp(_engine, new string('0', 64));
        using var almost = new RawHttp(_engine, _engine.AdminToken[..^1] + (_engine.AdminToken[^1] == 'a' ? 'b' : 'a'));
        foreach (var client in new[] { anonymous, wrong, almost })
        {
            var status = await client.StatusAsync("GET", "/api/v1/namespaces/default/pods");
            Assert.Equal(401, status.Code);
            Assert.Equal("Unauthorized", status.Reason);
        }

        var write = await anonymous.StatusAsync("POST", ConfigMaps, "{\"metadata\":{\"name\":\"x\"}}");
        Assert.Equal(401, write.Code);
        Assert.Null(_engine.Store.Get<ConfigMap>("default", "x"));
    }

    [Fact]
    public async Task Health_and_version_need_no_token_but_discovery_does()
    {
        using var anonymous = new RawHttp(_engine, null);
        Assert.Equal(200, (await anonymous.SendAsync("GET", "/healthz")).Code);
        Assert.Equal(200, (await anonymous.SendAsync("GET", "/readyz")).Code);
        Assert.Equal(200, (await anonymous.SendAsync("GET", "/version")).Code);
        Assert.Equal(401, (await anonymous.SendAsync("GET", "/api/v1")).Code);
    }

    [Fact]
    public async Task Agent_token_writing_a_deployment_returns_403_and_writes_nothing()
    {
        using var agent = new RawHttp(_engine, _engine.AgentToken);
        var body = GitOrch.Api.Serialization.KubeJson.Serialize(Objects.Deployment("web"));
        var status = await agent.StatusAsync("POST", "/apis/apps/v1/namespaces/default/deployments", body);
        Assert.Equal(403, status.Code);
        Assert.Equal("Forbidden", status.Reason);
        Assert.Null(_engine.Store.Get<Deployment>("default", "web"));
    }

    [Fact]
    public async Task Stale_resourceVersion_update_returns_409()
    {
        var created = await _engine.Client.CreateAsync(Objects.ConfigMap("c"));
        created.Data!["key"] = "first";
        await _engine.Client.ReplaceAsync(created);

        created.Data["key"] = "stale";
        var body = GitOrch.Api.Serialization.KubeJson.Serialize(created);
        var status = await _admin.StatusAsync("PUT", ConfigMaps + "/c", body);
        Assert.Equal(409, status.Code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("first", _engine.Store.Get<ConfigMap>("default", "c")!.Data!["key"]);
    }

    [Fact]
    public async Task Create_of_an_existing_name_returns_409_AlreadyExists()
    {
        await _engine.Client.CreateAsync(Objects.ConfigMap("dup"));
        var status = await _admin.StatusAsync("POST", ConfigMaps, "{\"metadata\":{\"name\":\"dup\"}}");
        Assert.Equal(409, status.Code);
        Assert.Equal("AlreadyExists", status.Reason);
    }

    [Fact]
    public async Task Body_disagreeing_with_the_url_returns_400()
    {
        var wrongNs = await _admin.StatusAsync("POST", ConfigMaps, "{\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}");
        Assert.Equal(400, wrongNs.Code);
        var wrongKind = await _admin.StatusAsync("POST", ConfigMaps, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\"}}");
        Assert.Equal(400, wrongKind.Code);
        await _engine.Client.CreateAsync(Objects.ConfigMap("named"));
        var wrongName = await _admin.StatusAsync("PUT", ConfigMaps + "/named", "{\"metadata\":{\"name\":\"other\"}}");
        Assert.Equal(400, wrongName.Code);
        Assert.Null(_engine.Store.Get<ConfigMap>("default", "x"));
    }

    [Fact]
    public async Task Bad_selectors_return_400()
    {
        Assert.Equal(400, (await _admin.StatusAsync("GET", ConfigMaps + "?labelSelector=a%20in%20(")).Code);
        Assert.Equal(400, (await _admin.StatusAsync("GET", ConfigMaps + "?fieldSelector=spec.nope%3Dx")).Code);
        Assert.Equal(400, (await _admin.StatusAsync("GET", ConfigMaps + "?limit=-1")).Code);
    }

    [Fact]
    public async Task Watch_from_a_revision_that_left_the_change_log_sends_410_Expired()
    {
        await using var engine = await TestEngine.StartAsync(configure: o => o.Store.ChangeLogCapacity = 16);
        for (var i = 0; i < 40; i++)
        {
            await engine.Client.CreateAsync(Objects.ConfigMap("cm" + i));
        }

        using var raw = new RawHttp(engine, engine.AdminToken);
        var (code, body) = await raw.SendAsync("GET", ConfigMaps + "?watch=true&resourceVersion=3");
        Assert.Equal(200, code);
        var line = body.Trim().Split('\n').Single();
        Assert.Contains("\"type\":\"ERROR\"", line, StringComparison.Ordinal);
        Assert.Contains("\"code\":410", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_verb_returns_405()
    {
        var status = await _admin.StatusAsync("DELETE", ConfigMaps);
        Assert.Equal(405, status.Code);
    }

    [Fact]
    public async Task An_unknown_dry_run_value_is_refused_not_ignored()
    {
        var status = await _admin.StatusAsync("POST", ConfigMaps + "?dryRun=Some", "{\"metadata\":{\"name\":\"dry\"}}");
        Assert.Equal(400, status.Code);
        Assert.Contains("dryRun: Unsupported value: \"Some\"", status.Message, StringComparison.Ordinal);
        Assert.Null(_engine.Store.Get<ConfigMap>("default", "dry"));
    }

    [Fact]
    public async Task Null_metadata_is_a_client_error_not_a_crash()
    {
        await _engine.Client.CreateAsync(Objects.ConfigMap("m"));
        var create = await _admin.StatusAsync("POST", ConfigMaps, "{\"metadata\":null}");
        Assert.Equal(422, create.Code);
        var patch = await _admin.StatusAsync("PATCH", ConfigMaps + "/m", "{\"metadata\":null}", "application/merge-patch+json");
        Assert.Equal(400, patch.Code);
        Assert.NotNull(_engine.Store.Get<ConfigMap>("default", "m"));
    }

    [Fact]
    public async Task Delete_options_of_the_wrong_type_return_400()
    {
        await _engine.Client.CreateAsync(Objects.ConfigMap("keep"));
        var status = await _admin.StatusAsync("DELETE", ConfigMaps + "/keep", "{\"propagationPolicy\":42}");
        Assert.Equal(400, status.Code);
        Assert.NotNull(_engine.Store.Get<ConfigMap>("default", "keep"));
    }
}
