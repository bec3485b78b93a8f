using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Http;

/// <summary>List selectors, paging, and watch streams (initial state, resume, filters, 410) over real HTTP.</summary>
public sealed class ListWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private TestEngine _engine = null!;

    private GitOrchClient Client => _engine.Client;

    public async Task InitializeAsync() => _engine = await TestEngine.StartAsync();

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Label_selector_filters_with_equality_inequality_and_sets()
    {
        await Client.CreateAsync(Objects.ConfigMap("a", labels: new() { ["app"] = "web", ["tier"] = "front" }));
        await Client.CreateAsync(Objects.ConfigMap("b", labels: new() { ["app"] = "web", ["tier"] = "back" }));
        await Client.CreateAsync(Objects.ConfigMap("c", labels: new() { ["app"] = "db" }));

        Assert.Equal(["a", "b"], Names(await Client.ListAsync<ConfigMap>("default", "app=web")));
        Assert.Equal(["a", "b"], Names(await Client.ListAsync<ConfigMap>("default", "app==web")));
        Assert.Equal(["b", "c"], Names(await Client.ListAsync<ConfigMap>("default", "tier!=front")));
        Assert.Equal(["a", "c"], Names(await Client.ListAsync<ConfigMap>("default", "tier notin (back)")));
        Assert.Equal(["c"], Names(await Client.ListAsync<ConfigMap>("default", "app in (db,cache),!tier")));
    }

    [Fact]
    public async Task Field_selector_filters_pods_by_node_phase_and_name()
    {
        await Client.CreateAsync(Objects.Pod("p1", nodeName: "n1"));
        await Client.CreateAsync(Objects.Pod("p2", nodeName: "n2"));
        await Client.CreateAsync(Objects.Pod("p3"));
        await Client.PatchStatusAsync<Pod>("default", "p2", """{"status":{"phase":"Running"}}""");

        Assert.Equal(["p1"], Names(await Client.ListAsync<Pod>("default", fieldSelector: "spec.nodeName=n1")));
        Assert.Equal(["p3"], Names(await Client.ListAsync<Pod>(null, fieldSelector: "spec.nodeName=")));
        Assert.Equal(["p1", "p2"], Names(await Client.ListAsync<Pod>(null, fieldSelector: "spec.nodeName!=")));
        Assert.Equal(["p2"], Names(await Client.ListAsync<Pod>("default", fieldSelector: "status.phase==Running")));
        Assert.Equal(["p1", "p3"], Names(await Client.ListAsync<Pod>("default", fieldSelector: "status.phase!=Running")));
        Assert.Equal(["p2"], Names(await Client.ListAsync<Pod>(null, fieldSelector: "metadata.name=p2,metadata.namespace=default")));
    }

    [Fact]
    public async Task Field_selector_filters_events_by_involved_object()
    {
        foreach (var (name, pod) in new[] { ("e1", "a"), ("e2", "b") })
        {
            await Client.CreateAsync(new Event { Metadata = new ObjectMeta { Name = name, Namespace = "default" }, InvolvedObject = new ObjectReference { Kind = "Pod", Name = pod }, Reason = "Started" });
        }

        Assert.Equal(["e2"], Names(await Client.ListAsync<Event>("default", fieldSelector: "involvedObject.kind=Pod,involvedObject.name=b")));
    }

    [Fact]
    public async Task List_kind_and_resourceVersion_follow_kubernetes()
    {
        await Client.CreateAsync(Objects.Pod("p"));
        var list = await Client.ListAsync<Pod>("default");
        Assert.Equal("PodList", list.Kind);
        Assert.Equal("v1", list.ApiVersion);
        Assert.Equal(_engine.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Limit_and_continue_page_through_everything_once()
    {
        for (var i = 0; i < 7; i++)
        {
            await Client.CreateAsync(Objects.ConfigMap("cm" + i));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Client.ListAsync<ConfigMap>("default", new ListOptions { Limit = 3, Continue = token });
            Assert.True(page.Items.Count <= 3);
            seen.AddRange(page.Items.Select(i => i.Name));
            token = page.Metadata.Continue;
            if (token != null)
            {
                Assert.Equal(7 - seen.Count, page.Metadata.RemainingItemCount);
            }

            pages++;
        }
        while (token != null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => "cm" + i), seen);
    }

    [Fact]
    public async Task Watch_without_resourceVersion_sends_current_objects_then_changes()
    {
        await Client.CreateAsync(Objects.ConfigMap("existing"));
        using var cts = new CancellationTokenSource(Deadline);
        await using var events = Client.WatchAsync<ConfigMap>("default", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("ADDED", "existing"), (events.Current.Type, events.Current.Object!.Name));

        await Client.CreateAsync(Objects.ConfigMap("new"));
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("ADDED", "new"), (events.Current.Type, events.Current.Object!.Name));

        await Client.PatchAsync<ConfigMap>("default", "new", """{"data":{"x":"y"}}""");
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("MODIFIED", "new"), (events.Current.Type, events.Current.Object!.Name));

        await Client.DeleteAsync<ConfigMap>("default", "new");
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("DELETED", "new"), (events.Current.Type, events.Current.Object!.Name));
    }

    [Fact]
    public async Task Watch_resumes_after_the_given_resourceVersion_without_gaps()
    {
        await Client.CreateAsync(Objects.ConfigMap("before"));
        var list = await Client.ListAsync<ConfigMap>("default");
        await Client.CreateAsync(Objects.ConfigMap("after1"));
        await Client.CreateAsync(Objects.ConfigMap("after2"));

        using var cts = new CancellationTokenSource(Deadline);
        var names = new List<string>();
        await foreach (var e in Client.WatchAsync<ConfigMap>("default", list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            Assert.Equal("ADDED", e.Type);
            names.Add(e.Object!.Name);
            if (names.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["after1", "after2"], names);
    }

    [Fact]
    public async Task Watch_filters_by_label_field_and_namespace()
    {
        await Client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "other" } });
        var from = _engine.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var cts = new CancellationTokenSource(Deadline);
        var watch = Task.Run(async () =>
        {
            await foreach (var e in Client.WatchAsync<Pod>("default", from, "app=web", "spec.nodeName=n1", cts.Token))
            {
                return e.Object!.Name;
            }

            return null;
        });

        await Client.CreateAsync(Objects.Pod("wrong-label", labels: new() { ["app"] = "db" }, nodeName: "n1"));
        await Client.CreateAsync(Objects.Pod("wrong-node", labels: new() { ["app"] = "web" }, nodeName: "n2"));
        await Client.CreateAsync(Objects.Pod("wrong-ns", ns: "other", labels: new() { ["app"] = "web" }, nodeName: "n1"));
        await Client.CreateAsync(Objects.Pod("match", labels: new() { ["app"] = "web" }, nodeName: "n1"));
        Assert.Equal("match", await watch);
    }

    [Fact]
    public async Task Objects_entering_or_leaving_a_field_selector_arrive_as_ADDED_and_DELETED()
    {
        await Client.CreateAsync(Objects.Pod("already-bound", nodeName: "n1"));
        using var cts = new CancellationTokenSource(Deadline);

        // Like an agent (its node) and the scheduler (unbound pods), both starting from a list.
        await using var agent = Client.WatchAsync<Pod>(null, fieldSelector: "spec.nodeName=n1", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        await using var scheduler = Client.WatchAsync<Pod>(null, fieldSelector: "spec.nodeName=", cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await agent.MoveNextAsync());
        Assert.Equal(("ADDED", "already-bound"), (agent.Current.Type, agent.Current.Object!.Name));

        await Client.CreateAsync(Objects.Pod("fresh"));
        Assert.True(await scheduler.MoveNextAsync());
        Assert.Equal(("ADDED", "fresh"), (scheduler.Current.Type, scheduler.Current.Object!.Name));

        await Client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods/fresh/binding", """{"metadata":{"name":"fresh"},"target":{"kind":"Node","name":"n1"}}""");
        Assert.True(await scheduler.MoveNextAsync());
        Assert.Equal(("DELETED", "fresh"), (scheduler.Current.Type, scheduler.Current.Object!.Name));
        Assert.True(await agent.MoveNextAsync());
        Assert.Equal(("ADDED", "fresh"), (agent.Current.Type, agent.Current.Object!.Name));

        await Client.PatchStatusAsync<Pod>("default", "fresh", """{"status":{"phase":"Running"}}""");
        Assert.True(await agent.MoveNextAsync());
        Assert.Equal(("MODIFIED", "fresh"), (agent.Current.Type, agent.Current.Object!.Name));
    }

    [Fact]
    public async Task Watch_from_a_too_old_resourceVersion_throws_Gone_in_the_client()
    {
        await using var engine = await TestEngine.StartAsync(configure: o => o.Store.ChangeLogCapacity = 16);
        for (var i = 0; i < 40; i++)
        {
            await engine.Client.CreateAsync(Objects.ConfigMap("cm" + i));
        }

        var e = await Assert.ThrowsAsync<GitOrchApiException>(async () =>
        {
            await foreach (var _ in engine.Client.WatchAsync<ConfigMap>("default", "3"))
            {
            }
        });
        Assert.True(e.IsGone);
        Assert.Equal("Expired", e.Reason);
    }

    [Fact]
    public async Task Watch_ends_when_timeoutSeconds_passes()
    {
        using var raw = new RawHttp(_engine, _engine.AdminToken);
        var started = DateTime.UtcNow;
        var (code, body) = await raw.SendAsync("GET", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + _engine.Store.Revision + "&timeoutSeconds=1");
        Assert.Equal(200, code);
        Assert.Equal("", body.Trim());
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Watch_streams_end_when_the_engine_stops()
    {
        var engine = await TestEngine.StartAsync();
        var watching = Task.Run(async () =>
        {
            var n = 0;
            await foreach (var _ in engine.Client.WatchAsync<ConfigMap>("default"))
            {
                n++;
            }

            return n;
        });
        await Eventually.True(() => ((GitOrch.Engine.Store.ObjectStore)engine.Store).WatcherCount == 1, Deadline, "the watch to be registered");
        var stop = engine.DisposeAsync().AsTask();
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(Deadline)));
        Assert.Same(watching, await Task.WhenAny(watching, Task.Delay(Deadline)));
    }

    private static List<string> Names<T>(KubeList<T> list) where T : KubeObject => list.Items.Select(i => i.Name).Order(StringComparer.Ordinal).ToList();
}
