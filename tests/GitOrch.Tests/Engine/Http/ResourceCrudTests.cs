using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Http;

/// <summary>get/create/replace/patch/delete and the status, binding and scale subresources over real HTTP.</summary>
public sealed class ResourceCrudTests : IAsyncLifetime
{
    private TestEngine _engine = null!;
    private RawHttp _raw = null!;

    private GitOrchClient Client => _engine.Client;

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
    public async Task Create_assigns_identity_and_get_returns_it()
    {
        var created = await Client.CreateAsync(Objects.ConfigMap("a"));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(_engine.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), created.Metadata.ResourceVersion);

        var read = await Client.GetAsync<ConfigMap>("default", "a");
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("value", read.Data!["key"]);
        Assert.Equal("v1", read.ApiVersion);
        Assert.Equal("ConfigMap", read.Kind);
    }

    [Fact]
    public async Task Create_with_generateName_gets_a_unique_name()
    {
        var a = await Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { GenerateName = "gen-" } });
        var b = await Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { GenerateName = "gen-" } });
        Assert.StartsWith("gen-", a.Name, StringComparison.Ordinal);
        Assert.NotEqual(a.Name, b.Name);
    }

    [Fact]
    public async Task Cluster_scoped_kinds_live_at_cluster_paths()
    {
        var node = await Client.CreateAsync(Objects.Node("n1"));
        Assert.Null(node.Metadata.Namespace);
        var (code, body) = await _raw.SendAsync("GET", "/api/v1/nodes/n1");
        Assert.Equal(200, code);
        Assert.Contains("\"name\":\"n1\"", body, StringComparison.Ordinal);
        var ns = await Client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "team-a" } });
        Assert.Equal("team-a", ns.Name);
        await Client.CreateAsync(Objects.ConfigMap("in-team", ns: "team-a"));
        Assert.Single((await Client.ListAsync<ConfigMap>("team-a")).Items);
    }

    [Fact]
    public async Task Replace_updates_and_bumps_resourceVersion()
    {
        var created = await Client.CreateAsync(Objects.ConfigMap("r"));
        created.Data!["key"] = "changed";
        var replaced = await Client.ReplaceAsync(created);
        Assert.Equal("changed", replaced.Data!["key"]);
        Assert.True(long.Parse(replaced.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(created.Metadata.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Merge_patch_merges_maps_and_null_deletes()
    {
        var cm = Objects.ConfigMap("p");
        cm.Data!["gone"] = "x";
        await Client.CreateAsync(cm);
        var patched = await Client.PatchAsync<ConfigMap>("default", "p", """{"data":{"added":"1","gone":null},"metadata":{"labels":{"l":"v"}}}""");
        Assert.Equal("value", patched.Data!["key"]);
        Assert.Equal("1", patched.Data["added"]);
        Assert.False(patched.Data.ContainsKey("gone"));
        Assert.Equal("v", patched.Metadata.Labels!["l"]);
    }

    [Fact]
    public async Task Strategic_merge_patch_content_type_is_applied_as_merge_patch()
    {
        await Client.CreateAsync(Objects.ConfigMap("s"));
        var (code, body) = await _raw.SendAsync("PATCH", "/api/v1/namespaces/default/configmaps/s", """{"data":{"k2":"v2"}}""", "application/strategic-merge-patch+json");
        Assert.Equal(200, code);
        Assert.Contains("\"k2\":\"v2\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_pinned_to_a_stale_resourceVersion_is_a_conflict()
    {
        var created = await Client.CreateAsync(Objects.ConfigMap("pin"));
        await Client.PatchAsync<ConfigMap>("default", "pin", """{"data":{"a":"1"}}""");
        var e = await Assert.ThrowsAsync<GitOrchApiException>(() => Client.PatchAsync<ConfigMap>("default", "pin", "{\"metadata\":{\"resourceVersion\":\"" + created.Metadata.ResourceVersion + "\"},\"data\":{\"b\":\"2\"}}"));
        Assert.True(e.IsConflict);
    }

    [Fact]
    public async Task Status_subresource_changes_status_only_and_plain_update_keeps_status()
    {
        var pod = await Client.CreateAsync(Objects.Pod("web"));
        pod.Status = new PodStatus { Phase = "Running" };
        pod.Spec!.Containers[0].Image = "ignored-by-status-write";
        var afterStatus = await Client.ReplaceStatusAsync(pod);
        Assert.Equal("Running", afterStatus.Status!.Phase);
        Assert.Equal("gitorch-test/busybox:latest", afterStatus.Spec!.Containers[0].Image);

        var patched = await Client.PatchStatusAsync<Pod>("default", "web", """{"status":{"phase":"Succeeded"}}""");
        Assert.Equal("Succeeded", patched.Status!.Phase);

        var (code, body) = await _raw.SendAsync("GET", "/api/v1/namespaces/default/pods/web/status");
        Assert.Equal(200, code);
        Assert.Contains("Succeeded", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kinds_without_status_have_no_status_subresource()
    {
        await Client.CreateAsync(Objects.ConfigMap("nostatus"));
        var status = await _raw.StatusAsync("GET", "/api/v1/namespaces/default/configmaps/nostatus/status");
        Assert.Equal(404, status.Code);
    }

    [Fact]
    public async Task Binding_sets_nodeName_once_and_a_second_binding_is_409()
    {
        await Client.CreateAsync(Objects.Pod("b"));
        var result = await Client.SendAsync<Status>(HttpMethod.Post, "/api/v1/namespaces/default/pods/b/binding",
            """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"b"},"target":{"apiVersion":"v1","kind":"Node","name":"node-1"}}""");
        Assert.Equal("Success", result.Outcome);
        Assert.Equal("node-1", (await Client.GetAsync<Pod>("default", "b")).Spec!.NodeName);

        var e = await Assert.ThrowsAsync<GitOrchApiException>(() => Client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods/b/binding",
            """{"metadata":{"name":"b"},"target":{"kind":"Node","name":"node-2"}}"""));
        Assert.Equal(409, e.Code);
        Assert.Equal("node-1", (await Client.GetAsync<Pod>("default", "b")).Spec!.NodeName);
    }

    [Fact]
    public async Task Binding_turns_an_earlier_PodScheduled_False_True_like_the_scheduler_does()
    {
        // A Pod the scheduler could not place carries PodScheduled=False; a bind through the API must not leave that stale.
        var pod = await Client.CreateAsync(Objects.Pod("late"));
        pod.Status = new PodStatus { Phase = "Pending", Conditions = new() { new Condition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable" } } };
        await Client.ReplaceStatusAsync(pod);

        await Client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods/late/binding", """{"metadata":{"name":"late"},"target":{"kind":"Node","name":"node-1"}}""");

        var bound = await Client.GetAsync<Pod>("default", "late");
        Assert.Equal("node-1", bound.Spec!.NodeName);
        var scheduled = Assert.Single(bound.Status!.Conditions!, c => c.Type == "PodScheduled");
        Assert.Equal("True", scheduled.Status);
    }

    [Fact]
    public async Task Binding_with_another_Pods_uid_is_409()
    {
        await Client.CreateAsync(Objects.Pod("u"));
        var e = await Assert.ThrowsAsync<GitOrchApiException>(() => Client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods/u/binding",
            """{"metadata":{"name":"u","uid":"not-this-pod"},"target":{"kind":"Node","name":"node-1"}}"""));
        Assert.Equal(409, e.Code);
        Assert.Null((await Client.GetAsync<Pod>("default", "u")).Spec!.NodeName);
    }

    [Fact]
    public async Task Binding_of_a_missing_pod_is_404()
    {
        var e = await Assert.ThrowsAsync<GitOrchApiException>(() => Client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods/none/binding",
            """{"metadata":{"name":"none"},"target":{"kind":"Node","name":"node-1"}}"""));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Scale_subresource_reads_and_sets_replicas()
    {
        await Client.CreateAsync(Objects.Deployment("web", replicas: 2));
        var scale = await Client.SendAsync<Scale>(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/web/scale");
        Assert.Equal("autoscaling/v1", scale.ApiVersion);
        Assert.Equal(2, scale.Spec!.Replicas);
        Assert.Contains("app", scale.Status!.Selector, StringComparison.Ordinal);

        scale.Spec.Replicas = 5;
        var put = await Client.SendAsync<Scale>(HttpMethod.Put, "/apis/apps/v1/namespaces/default/deployments/web/scale", scale);
        Assert.Equal(5, put.Spec!.Replicas);
        Assert.Equal(5, (await Client.GetAsync<Deployment>("default", "web")).Spec!.Replicas);

        var patched = await Client.SendAsync<Scale>(new HttpMethod("PATCH"), "/apis/apps/v1/namespaces/default/deployments/web/scale", """{"spec":{"replicas":0}}""");
        Assert.Equal(0, patched.Spec!.Replicas);

        // The old resourceVersion of the first read is stale now.
        var e = await Assert.ThrowsAsync<GitOrchApiException>(() => Client.SendAsync<Scale>(HttpMethod.Put, "/apis/apps/v1/namespaces/default/deployments/web/scale", scale));
        Assert.True(e.IsConflict);
    }

    [Fact]
    public async Task Delete_removes_and_honours_preconditions()
    {
        var created = await Client.CreateAsync(Objects.ConfigMap("d"));
        var stale = await _raw.StatusAsync("DELETE", "/api/v1/namespaces/default/configmaps/d", """{"preconditions":{"uid":"not-the-uid"}}""");
        Assert.Equal(409, stale.Code);
        Assert.NotNull(_engine.Store.Get<ConfigMap>("default", "d"));

        var (code, _) = await _raw.SendAsync("DELETE", "/api/v1/namespaces/default/configmaps/d", "{\"preconditions\":{\"uid\":\"" + created.Metadata.Uid + "\"}}");
        Assert.Equal(200, code);
        Assert.Null(_engine.Store.Get<ConfigMap>("default", "d"));
        var gone = await Assert.ThrowsAsync<GitOrchApiException>(() => Client.DeleteAsync<ConfigMap>("default", "d"));
        Assert.True(gone.IsNotFound);
    }

    [Fact]
    public async Task Delete_with_propagationPolicy_query_is_accepted_and_a_bad_policy_is_400()
    {
        await Client.CreateAsync(Objects.Deployment("gone"));
        await Client.DeleteAsync<Deployment>("default", "gone", "Foreground");

        // Foreground: the owner stays, marked, with the foregroundDeletion finalizer until its dependents are gone.
        var marked = _engine.Store.Get<Deployment>("default", "gone")!;
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Contains("foregroundDeletion", marked.Metadata.Finalizers!);

        await Client.CreateAsync(Objects.Deployment("gone2"));
        await Client.DeleteAsync<Deployment>("default", "gone2", "Background");
        Assert.Null(_engine.Store.Get<Deployment>("default", "gone2"));
        var bad = await _raw.StatusAsync("DELETE", "/apis/apps/v1/namespaces/default/deployments/x?propagationPolicy=Sideways");
        Assert.Equal(400, bad.Code);
    }

    [Fact]
    public async Task Delete_of_an_object_with_finalizers_marks_it_for_deletion()
    {
        var cm = Objects.ConfigMap("fin");
        cm.Metadata.Finalizers = ["gitorch.io/test"];
        await Client.CreateAsync(cm);
        await Client.DeleteAsync<ConfigMap>("default", "fin");
        var marked = await Client.GetAsync<ConfigMap>("default", "fin");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        await Client.PatchAsync<ConfigMap>("default", "fin", """{"metadata":{"finalizers":null}}""");
        Assert.Null(await Client.TryGetAsync<ConfigMap>("default", "fin"));
    }

    [Fact]
    public async Task Discovery_lists_every_kind_with_verbs()
    {
        var (code, core) = await _raw.SendAsync("GET", "/api/v1");
        Assert.Equal(200, code);
        foreach (var plural in new[] { "pods", "pods/status", "pods/binding", "configmaps", "nodes", "namespaces", "services", "endpoints", "secrets", "events" })
        {
            Assert.Contains("\"name\":\"" + plural + "\"", core, StringComparison.Ordinal);
        }

        Assert.Contains("deployments/scale", (await _raw.SendAsync("GET", "/apis/apps/v1")).Body, StringComparison.Ordinal);
        Assert.Contains("gitsources", (await _raw.SendAsync("GET", "/apis/gitorch.io/v1")).Body, StringComparison.Ordinal);
        var groups = (await _raw.SendAsync("GET", "/apis")).Body;
        Assert.Contains("apps/v1", groups, StringComparison.Ordinal);
        Assert.Contains("batch/v1", groups, StringComparison.Ordinal);
        Assert.Contains("gitorch.io/v1", groups, StringComparison.Ordinal);
        Assert.Contains("\"versions\":[\"v1\"]", (await _raw.SendAsync("GET", "/api")).Body, StringComparison.Ordinal);
    }
}
