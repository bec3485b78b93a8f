using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Store;

/// <summary>
/// The store contract. These run against LiteDB here and against a three-member etcd in
/// <see cref="Etcd.EtcdObjectStoreTests"/>, which only overrides <see cref="OpenStore"/>.
/// </summary>
public class ObjectStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private IObjectStore _store;

    public ObjectStoreTests() => _store = OpenStore();

    public void Dispose()
    {
        ((IDisposable)_store).Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the store under test on this test's data (again, after a restart).</summary>
    protected virtual IObjectStore OpenStore(StoreOptions? options = null) => ObjectStore.Open(_dir.Path, options: options);

    /// <summary>True where other writers share the revision counter (tests on one etcd cluster), so it may move on between two reads.</summary>
    protected virtual bool RevisionIsShared => false;

    private static ConfigMap Cm(string name, string ns = "default", Dictionary<string, string>? labels = null)
        => new() { Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels }, Data = new() { ["k"] = "v" } };

    private static Deployment Deploy(string name, int replicas = 1, string image = "busybox")
        => new()
        {
            Metadata = new ObjectMeta { Name = name },
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                    Spec = new PodSpec { Containers = { new Container { Name = "main", Image = image } } },
                },
            },
        };

    [Fact]
    public async Task A_dry_run_batch_runs_the_rules_and_stores_nothing()
    {
        var live = await _store.CreateAsync(Cm("kept"));
        var revision = _store.Revision;
        var changed = Cm("kept");
        changed.Metadata.ResourceVersion = live.Metadata.ResourceVersion;
        changed.Data!["k"] = "dry";

        var answers = await _store.CommitAsync(new[] { new StoreWrite(StoreVerb.Create, Cm("new")) { DryRun = true }, new StoreWrite(StoreVerb.Update, changed) { DryRun = true } });

        Assert.Equal("new", answers[0].Name);
        Assert.Null(answers[0].Metadata.ResourceVersion);
        Assert.Equal(live.Metadata.ResourceVersion, answers[1].Metadata.ResourceVersion);
        Assert.Equal(revision, _store.Revision);
        Assert.Null(_store.Get<ConfigMap>("default", "new"));
        Assert.Equal("v", _store.Get<ConfigMap>("default", "kept")!.Data!["k"]);
        await Assert.ThrowsAsync<StoreException>(() => _store.CommitAsync(new[] { new StoreWrite(StoreVerb.Create, Cm("kept")) { DryRun = true } }));
    }

    [Fact]
    public async Task Create_assigns_identity_and_get_returns_a_private_copy()
    {
        var created = await _store.CreateAsync(Cm("a"));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(_store.Revision.ToString(), created.Metadata.ResourceVersion);
        Assert.Equal("v1", created.ApiVersion);
        Assert.Equal("ConfigMap", created.Kind);

        var copy = _store.Get<ConfigMap>("default", "a")!;
        copy.Data!["k"] = "changed";
        Assert.Equal("v", _store.Get<ConfigMap>("default", "a")!.Data!["k"]);
    }

    [Fact]
    public async Task Create_of_existing_name_is_AlreadyExists_and_changes_nothing()
    {
        await _store.CreateAsync(Cm("a"));
        var before = _store.Revision;
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Cm("a")));
        Assert.True(ex.IsAlreadyExists);
        Assert.Equal(before, _store.Revision);
    }

    [Fact]
    public async Task Revisions_increase_with_every_write()
    {
        var seen = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var o = await _store.CreateAsync(Cm("r" + i));
            seen.Add(long.Parse(o.Metadata.ResourceVersion!));
        }

        Assert.Equal(seen.OrderBy(x => x), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Generation_bumps_on_spec_change_only()
    {
        var d = await _store.CreateAsync(Deploy("web"));
        d.Metadata.Labels = new() { ["team"] = "a" };
        d = await _store.UpdateAsync(d);
        Assert.Equal(1, d.Metadata.Generation);

        d.Status = new DeploymentStatus { Replicas = 3 };
        d = await _store.UpdateStatusAsync(d);
        Assert.Equal(1, d.Metadata.Generation);
        Assert.Equal(3, d.Status!.Replicas);

        d.Spec!.Replicas = 5;
        d = await _store.UpdateAsync(d);
        Assert.Equal(2, d.Metadata.Generation);
        Assert.Equal(3, d.Status!.Replicas);
    }

    [Fact]
    public async Task Update_keeps_status_and_status_update_keeps_spec()
    {
        var d = await _store.CreateAsync(Deploy("web", 1));
        var statusWrite = _store.Get<Deployment>("default", "web")!;
        statusWrite.Status = new DeploymentStatus { ReadyReplicas = 1 };
        statusWrite.Spec!.Replicas = 99;
        await _store.UpdateStatusAsync(statusWrite);

        var specWrite = _store.Get<Deployment>("default", "web")!;
        specWrite.Status = null;
        specWrite.Spec!.Replicas = 2;
        var after = await _store.UpdateAsync(specWrite);
        Assert.Equal(2, after.Spec!.Replicas);
        Assert.Equal(1, after.Status!.ReadyReplicas);
    }

    [Fact]
    public async Task Stale_resourceVersion_update_is_a_conflict()
    {
        var a = await _store.CreateAsync(Cm("a"));
        var stale = _store.Get<ConfigMap>("default", "a")!;
        a.Data!["k"] = "first";
        await _store.UpdateAsync(a);
        stale.Data!["k"] = "second";
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.UpdateAsync(stale));
        Assert.True(ex.IsConflict);
        Assert.Equal(409, ex.Code);
        Assert.Equal("first", _store.Get<ConfigMap>("default", "a")!.Data!["k"]);
    }

    [Fact]
    public async Task Updated_objects_carry_their_new_resourceVersion_in_every_view()
    {
        var a = await _store.CreateAsync(Cm("a"));
        using var watch = _store.Watch(ResourceKinds.ConfigMap, "default", long.Parse(a.Metadata.ResourceVersion!));
        a.Data!["k"] = "changed";
        var updated = await _store.UpdateAsync(a);

        var expected = _store.Revision.ToString();
        Assert.Equal(expected, updated.Metadata.ResourceVersion);
        Assert.Equal(expected, _store.Get<ConfigMap>("default", "a")!.Metadata.ResourceVersion);
        var e = await watch.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(expected, e.Object.Shared.Metadata.ResourceVersion);
        Assert.Equal("changed", ((ConfigMap)e.Object.Shared).Data!["k"]);
    }

    [Fact]
    public async Task Unchanged_update_writes_nothing()
    {
        var a = await _store.CreateAsync(Cm("a"));
        var before = _store.Revision;
        var again = await _store.UpdateAsync(a);
        Assert.Equal(before, _store.Revision);
        Assert.Equal(a.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Delete_with_finalizers_marks_then_removes_when_the_last_is_gone()
    {
        var cm = Cm("held");
        cm.Metadata.Finalizers = new() { "example.com/keep" };
        await _store.CreateAsync(cm);

        var marked = await _store.DeleteAsync(ResourceKinds.ConfigMap, "default", "held");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.NotNull(_store.Get<ConfigMap>("default", "held"));

        var current = _store.Get<ConfigMap>("default", "held")!;
        current.Metadata.Finalizers = new();
        await _store.UpdateAsync(current);
        Assert.Null(_store.Get<ConfigMap>("default", "held"));
    }

    [Fact]
    public async Task Delete_of_missing_object_is_NotFound()
    {
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.DeleteAsync(ResourceKinds.ConfigMap, "default", "nope"));
        Assert.True(ex.IsNotFound);
    }

    [Fact]
    public async Task Objects_need_an_existing_namespace_and_default_exists()
    {
        Assert.NotNull(_store.Get<Namespace>(null, "default"));
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(Cm("a", ns: "missing")));
        Assert.True(ex.IsNotFound);
        await _store.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "missing" } });
        await _store.CreateAsync(Cm("a", ns: "missing"));
    }

    [Fact]
    public async Task Invalid_objects_are_rejected_with_field_paths()
    {
        var bad = Deploy("Web_Server");
        bad.Spec!.Template.Metadata!.Labels = new() { ["app"] = "other" };
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.CreateAsync(bad));
        Assert.Equal(422, ex.Code);
        Assert.Contains(ex.Causes, c => c.Field == "metadata.name");
        Assert.Contains(ex.Causes, c => c.Field == "spec.template.metadata.labels");
        Assert.Null(_store.Get<Deployment>("default", "Web_Server"));
    }

    [Fact]
    public async Task Label_selectors_filter_lists_equality_and_set_based()
    {
        await _store.CreateAsync(Cm("a", labels: new() { ["app"] = "web", ["tier"] = "front" }));
        await _store.CreateAsync(Cm("b", labels: new() { ["app"] = "web", ["tier"] = "back" }));
        await _store.CreateAsync(Cm("c", labels: new() { ["app"] = "db" }));

        Assert.Equal(new[] { "a", "b" }, _store.List<ConfigMap>("default", Selector.Parse("app=web")).Select(c => c.Name));
        Assert.Equal(new[] { "a" }, _store.List<ConfigMap>("default", Selector.Parse("app==web,tier!=back")).Select(c => c.Name));
        Assert.Equal(new[] { "a", "c" }, _store.List<ConfigMap>("default", Selector.Parse("tier notin (back)")).Select(c => c.Name));
        Assert.Equal(new[] { "a", "b" }, _store.List<ConfigMap>("default", Selector.Parse("tier in (front,back)")).Select(c => c.Name));
        Assert.Equal(new[] { "c" }, _store.List<ConfigMap>("default", Selector.Parse("!tier")).Select(c => c.Name));
        Assert.Equal(new[] { "a", "b" }, _store.List<ConfigMap>("default", Selector.Parse("tier")).Select(c => c.Name));
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue()
    {
        for (var i = 0; i < 5; i++)
        {
            await _store.CreateAsync(Cm("p" + i));
        }

        var first = _store.ListPage(ResourceKinds.ConfigMap, "default", null, null, 2, null);
        Assert.Equal(new[] { "p0", "p1" }, first.Items.Select(i => i.Name));
        Assert.Equal(3, first.Remaining);
        var second = _store.ListPage(ResourceKinds.ConfigMap, "default", null, null, 2, first.Continue);
        Assert.Equal(new[] { "p2", "p3" }, second.Items.Select(i => i.Name));
        var third = _store.ListPage(ResourceKinds.ConfigMap, "default", null, null, 2, second.Continue);
        Assert.Equal(new[] { "p4" }, third.Items.Select(i => i.Name));
        Assert.Null(third.Continue);
    }

    [Fact]
    public async Task Watch_resumes_from_a_revision_and_sees_every_later_change()
    {
        var a = await _store.CreateAsync(Cm("a"));
        var from = long.Parse(a.Metadata.ResourceVersion!);
        a.Data!["k"] = "2";
        await _store.UpdateAsync(a);
        await _store.DeleteAsync(ResourceKinds.ConfigMap, "default", "a");

        using var watch = _store.Watch(ResourceKinds.ConfigMap, "default", from);
        var types = new List<WatchEventType>();
        for (var i = 0; i < 2; i++)
        {
            var e = await watch.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            types.Add(e.Type);
            Assert.True(e.Revision > from);
        }

        Assert.Equal(new[] { WatchEventType.Modified, WatchEventType.Deleted }, types);

        await _store.CreateAsync(Cm("b"));
        var live = await watch.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(WatchEventType.Added, live.Type);
        Assert.Equal("b", live.Object.Name);
    }

    [Fact]
    public async Task Watch_from_a_revision_older_than_the_log_is_Gone()
    {
        ((IDisposable)_store).Dispose();
        _store = OpenStore(new StoreOptions { ChangeLogCapacity = 16 });
        var first = await _store.CreateAsync(Cm("first"));
        for (var i = 0; i < 40; i++)
        {
            await _store.CreateAsync(Cm("x" + i));
        }

        var ex = Assert.Throws<StoreException>(() => _store.Watch(null, null, long.Parse(first.Metadata.ResourceVersion!)));
        Assert.Equal(410, ex.Code);
    }

    [Fact]
    public async Task Eight_concurrent_read_modify_write_loops_lose_no_update()
    {
        await _store.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "counter" }, Data = new() { ["n"] = "0" } });
        const int writers = 8, increments = 25;
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < increments; i++)
            {
                while (true)
                {
                    var cm = _store.Get<ConfigMap>("default", "counter")!;
                    cm.Data!["n"] = (int.Parse(cm.Data["n"]) + 1).ToString();
                    try
                    {
                        await _store.UpdateAsync(cm);
                        break;
                    }
                    catch (StoreException ex) when (ex.IsConflict)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        })));

        Assert.Equal((writers * increments).ToString(), _store.Get<ConfigMap>("default", "counter")!.Data!["n"]);
    }

    [Fact]
    public async Task Data_survives_a_restart_and_revisions_continue()
    {
        var a = await _store.CreateAsync(Cm("kept"));
        var rv = long.Parse(a.Metadata.ResourceVersion!);
        ((IDisposable)_store).Dispose();
        _store = OpenStore();

        var back = _store.Get<ConfigMap>("default", "kept")!;
        Assert.Equal(a.Metadata.Uid, back.Metadata.Uid);
        if (RevisionIsShared)
        {
            Assert.True(_store.Revision >= rv, $"revision went back from {rv} to {_store.Revision}");
        }
        else
        {
            Assert.Equal(rv, _store.Revision);
        }

        var next = await _store.CreateAsync(Cm("after"));
        Assert.True(long.Parse(next.Metadata.ResourceVersion!) > rv);
    }

    [Fact]
    public async Task A_failed_write_in_a_batch_commits_nothing_of_that_batch()
    {
        var before = _store.Revision;
        await Assert.ThrowsAsync<StoreException>(() => _store.CommitAsync(new[]
        {
            new StoreWrite(StoreVerb.Create, Cm("one")),
            new StoreWrite(StoreVerb.Create, Cm("one")),
        }));
        Assert.Equal(before, _store.Revision);
        Assert.Null(_store.Get<ConfigMap>("default", "one"));
    }

    [Fact]
    public async Task Secret_stringData_is_stored_as_base64_data()
    {
        await _store.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "s" }, StringData = new() { ["password"] = "hunter2" } });
        var s = _store.Get<Secret>("default", "s")!;
        Assert.Null(s.StringData);
        Assert.Equal("aHVudGVyMg==", s.Data!["password"]);
        Assert.Equal("hunter2", s.GetString("password"));
    }

    [Fact]
    public async Task Admission_plugins_see_writes_accepted_earlier_in_the_same_group()
    {
        ((IDisposable)_store).Dispose();
        var options = new StoreOptions();
        options.Admission.Add(new UniqueDataValue());
        _store = OpenStore(options);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await _store.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "u" + i }, Data = new() { ["port"] = "30000" } });
                return true;
            }
            catch (StoreException ex) when (ex.Code == 422)
            {
                return false;
            }
        })));
        Assert.Equal(1, results.Count(ok => ok));
    }

    /// <summary>Refuses a ConfigMap whose "port" value another ConfigMap already has: a stand-in for nodePort allocation.</summary>
    private sealed class UniqueDataValue : IAdmissionPlugin
    {
        public void Admit(StoreVerb verb, KubeObject obj, KubeObject? old, IStoreView view)
        {
            if (obj is ConfigMap cm && cm.Data?.TryGetValue("port", out var port) == true
                && view.List(ResourceKinds.ConfigMap).OfType<ConfigMap>().Any(o => o.Name != cm.Name && o.Data?.GetValueOrDefault("port") == port))
            {
                throw StoreException.Invalid(ResourceKinds.ConfigMap, cm.Name, new[] { new StatusCause { Field = "data[port]", Message = "already taken" } });
            }
        }
    }
}
