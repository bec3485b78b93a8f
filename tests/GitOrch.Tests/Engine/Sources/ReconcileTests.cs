using GitOrch.Api.Model;
using GitOrch.Engine.Sources;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Engine.Sources;

[Trait("Requires", "Git")]
public sealed class ReconcileTests : IAsyncLifetime
{
    private readonly SourceHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private TestRepo Repo => _h.Repo;

    [Fact]
    public async Task First_commit_is_applied_labelled_and_recorded_in_status()
    {
        Repo.Write("apps/web.yaml", Manifests.Deployment("web").Replace("  replicas: 1", "  replicas: 1\n  shinyNewField: 3") + "\n---\n" + Manifests.Service("web"))
            .Write("config/settings.yaml", Manifests.ConfigMap("settings"));
        var sha = Repo.Commit("first");
        await _h.CreateSourceAsync(Repo.FileUrl);

        await _h.ReconcileAsync();

        var d = _h.Store.Get<Deployment>("default", "web")!;
        Assert.Equal("default.app", d.Metadata.Labels![SourceLabels.Source]);
        Assert.Equal(sha, d.Metadata.Annotations![SourceLabels.Commit]);
        Assert.NotNull(_h.Store.Get<Service>("default", "web"));
        Assert.Equal("v1", _h.Store.Get<ConfigMap>("default", "settings")!.Data!["key"]);
        var status = _h.Source().Status!;
        Assert.Equal(sha, status.LastAppliedCommit);
        Assert.Equal(3, status.Inventory!.Count);
        var warning = Assert.Single(status.Warnings!);
        Assert.StartsWith("apps/web.yaml:7: ", warning);
        Assert.Contains("spec.shinyNewField", warning);
        Assert.All(status.Inventory, e => Assert.False(string.IsNullOrEmpty(e.Hash)));
        Assert.Equal("True", _h.Condition(SourceConditions.Ready)!.Status);
        Assert.Equal(SourceConditions.Succeeded, _h.Source().Status!.History![0].Result);
        Assert.Contains(await _h.EventsAsync(), e => e.Reason == SourceConditions.Succeeded && e.InvolvedObject.Name == "app");
    }

    [Fact]
    public async Task A_manifest_that_is_not_utf8_stops_the_commit_with_its_file_and_line()
    {
        Repo.Write("web.yaml", Manifests.ConfigMap("web"));
        var good = Repo.Commit("good");
        await _h.CreateSourceAsync(Repo.FileUrl);
        await _h.ReconcileAsync();

        // "café" saved as Latin-1 on line 5: a lenient decoder would apply "caf\uFFFD".
        var latin1 = System.Text.Encoding.Latin1.GetBytes(Manifests.ConfigMap("web").TrimEnd() + "\n  greeting: café\n");
        File.WriteAllBytes(Path.Combine(Repo.WorkPath, "web.yaml"), latin1);
        Repo.Commit("latin-1");
        await _h.ReconcileAsync();

        var ready = _h.Condition(SourceConditions.Ready)!;
        Assert.Equal(SourceConditions.ValidationFailed, ready.Reason);
        var line = Manifests.ConfigMap("web").TrimEnd().Split('\n').Length + 1;
        Assert.True(ready.Message!.Contains($"web.yaml:{line}: not valid UTF-8"), ready.Message);
        Assert.Equal(good, _h.Source().Status!.LastAppliedCommit);
        Assert.False(_h.Store.Get<ConfigMap>("default", "web")!.Data!.ContainsKey("greeting"));
    }

    [Fact]
    public async Task Bad_commit_applies_nothing_goes_stalled_with_file_and_line_and_fix_applies()
    {
        Repo.Write("web.yaml", Manifests.Deployment("web", "busybox:1"));
        var good = Repo.Commit("good");
        await _h.CreateSourceAsync(Repo.FileUrl);
        await _h.ReconcileAsync();

        // One valid change and two broken files: none of it may be applied.
        Repo.Write("web.yaml", Manifests.Deployment("web", "busybox:2"))
            .Write("extra.yaml", Manifests.ConfigMap("extra"))
            .Write("broken/selector.yaml", Manifests.Deployment("api").Replace("      app: api\n  template", "      app: other\n  template"))
            .Write("broken/syntax.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        var bad = Repo.Commit("bad");
        await _h.ReconcileAsync();

        Assert.Equal("busybox:1", _h.Store.Get<Deployment>("default", "web")!.Spec!.Template.Spec!.Containers[0].Image);
        Assert.Null(_h.Store.Get<ConfigMap>("default", "extra"));
        var ready = _h.Condition(SourceConditions.Ready)!;
        Assert.Equal("False", ready.Status);
        Assert.Equal(SourceConditions.ValidationFailed, ready.Reason);
        Assert.Equal("True", _h.Condition(SourceConditions.Stalled)!.Status);
        Assert.True(ready.Message!.Contains("broken/selector.yaml:12:"), ready.Message);
        Assert.Contains("broken/syntax.yaml:5:", ready.Message);
        Assert.Equal(good, _h.Source().Status!.LastAppliedCommit);
        Assert.Equal(bad, _h.Source().Status!.LastFetchedCommit);
        Assert.Contains(await _h.EventsAsync(), e => e.Reason == SourceConditions.ValidationFailed && e.Type == "Warning" && e.Message!.Contains("broken/selector.yaml:12"));

        Repo.Delete("broken/selector.yaml").Delete("broken/syntax.yaml");
        var fix = Repo.Commit("fix");
        await _h.ReconcileAsync();

        Assert.Equal("busybox:2", _h.Store.Get<Deployment>("default", "web")!.Spec!.Template.Spec!.Containers[0].Image);
        Assert.NotNull(_h.Store.Get<ConfigMap>("default", "extra"));
        Assert.Equal("True", _h.Condition(SourceConditions.Ready)!.Status);
        Assert.Equal("False", _h.Condition(SourceConditions.Stalled)!.Status);
        Assert.Equal(fix, _h.Source().Status!.LastAppliedCommit);
    }

    [Fact]
    public async Task Deleting_a_file_prunes_its_objects_unless_prune_is_disabled_on_the_object()
    {
        Repo.Write("a.yaml", Manifests.ConfigMap("a")).Write("b.yaml", Manifests.ConfigMap("b")).Write("c.yaml", Manifests.ConfigMap("c"));
        Repo.Commit("three");
        await _h.CreateSourceAsync(Repo.FileUrl);
        await _h.ReconcileAsync();
        var c = _h.Store.Get<ConfigMap>("default", "c")!;
        c.Metadata.Annotations![SourceLabels.Prune] = SourceLabels.Disabled;
        await _h.Store.UpdateAsync(c);

        Repo.Delete("b.yaml").Delete("c.yaml");
        Repo.Commit("drop b and c");
        await _h.ReconcileAsync();

        Assert.NotNull(_h.Store.Get<ConfigMap>("default", "a"));
        Assert.Null(_h.Store.Get<ConfigMap>("default", "b"));
        Assert.NotNull(_h.Store.Get<ConfigMap>("default", "c"));
        Assert.Equal(new[] { "a" }, _h.Source().Status!.Inventory!.Select(i => i.Name));
    }

    [Fact]
    public async Task Drift_made_through_the_api_is_reverted_unless_reconcile_is_disabled()
    {
        Repo.Write("web.yaml", Manifests.Deployment("web", replicas: 2)).Write("cm.yaml", Manifests.ConfigMap("cm", "git"));
        Repo.Commit("first");
        await _h.CreateSourceAsync(Repo.FileUrl);
        await _h.ReconcileAsync();

        var d = _h.Store.Get<Deployment>("default", "web")!;
        d.Spec!.Replicas = 7;
        await _h.Store.UpdateAsync(d);
        var cm = _h.Store.Get<ConfigMap>("default", "cm")!;
        cm.Data!["key"] = "hand-edited";
        cm.Metadata.Annotations![SourceLabels.Reconcile] = SourceLabels.Disabled;
        await _h.Store.UpdateAsync(cm);
        await _h.ReconcileAsync();

        Assert.Equal(2, _h.Store.Get<Deployment>("default", "web")!.Spec!.Replicas);
        Assert.Equal("hand-edited", _h.Store.Get<ConfigMap>("default", "cm")!.Data!["key"]);
    }

    [Fact]
    public async Task Unchanged_commit_without_drift_writes_nothing()
    {
        Repo.Write("cm.yaml", Manifests.ConfigMap("cm"));
        Repo.Commit("first");
        await _h.CreateSourceAsync(Repo.FileUrl);
        await _h.ReconcileAsync();
        await _h.ReconcileAsync(); // the first no-op may still confirm status
        await _h.Events.FlushAsync();
        var revision = _h.Store.Revision;

        await _h.ReconcileAsync();
        await _h.ReconcileAsync();
        await _h.Events.FlushAsync();
        Assert.Equal(revision, _h.Store.Revision);

        // An unrelated write defeats the "nothing written since" shortcut: the full comparison must also write nothing.
        await _h.Store.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "unrelated", Namespace = "default" } });
        revision = _h.Store.Revision;
        await _h.ReconcileAsync();
        await _h.Events.FlushAsync();
        Assert.Equal(revision, _h.Store.Revision);
    }

    [Fact]
    public async Task Plan_for_a_branch_equals_what_applying_it_does()
    {
        Repo.Write("a.yaml", Manifests.ConfigMap("a")).Write("b.yaml", Manifests.ConfigMap("b")).Write("web.yaml", Manifests.Deployment("web"));
        Repo.Commit("main");
        await _h.CreateSourceAsync(Repo.FileUrl);
        await _h.ReconcileAsync();
        Repo.Checkout("feature", create: true);
        Repo.Write("a.yaml", Manifests.ConfigMap("a", "v2")).Delete("b.yaml").Write("new.yaml", Manifests.ConfigMap("new"));
        Repo.Commit("feature");
        var before = _h.Store.Revision;

        var plan = await _h.Reconciler.PlanAsync("default", "app", "feature", CancellationToken.None);

        Assert.Equal(before, _h.Store.Revision); // planning changed nothing
        Assert.Equal(new[] { "Create ConfigMap new", "Update ConfigMap a", "Delete ConfigMap b" }.OrderBy(x => x), plan.Changes.Select(c => $"{c.Action} {c.Kind} {c.Name}").OrderBy(x => x));
        var update = plan.Changes.Single(c => c.Name == "a");
        Assert.Contains(update.Changes!, f => f.Path == "data.key" && f.From == "\"v1\"" && f.To == "\"v2\"");

        // Apply the same ref and watch exactly those objects change.
        using var watch = _h.Store.Watch(null, null, _h.Store.Revision);
        var source = _h.Source();
        source.Spec!.Ref = new GitSourceRef { Branch = "feature" };
        await _h.Store.UpdateAsync(source);
        await _h.ReconcileAsync();
        var seen = new List<string>();
        while (watch.Events.TryRead(out var ev))
        {
            if (ev.Object.Kind.Kind != "GitSource" && ev.Object.Kind.Kind != "Event")
            {
                seen.Add($"{(ev.Type == GitOrch.Engine.Store.WatchEventType.Added ? "Create" : ev.Type == GitOrch.Engine.Store.WatchEventType.Deleted ? "Delete" : "Update")} {ev.Object.Kind.Kind} {ev.Object.Name}");
            }
        }

        Assert.Equal(plan.Changes.Select(c => $"{c.Action} {c.Kind} {c.Name}").OrderBy(x => x), seen.OrderBy(x => x));
    }

    [Fact]
    public async Task Requested_at_annotation_and_suspend_are_honoured()
    {
        Repo.Write("a.yaml", Manifests.ConfigMap("a"));
        Repo.Commit("first");
        await _h.CreateSourceAsync(Repo.FileUrl, configure: s => s.Suspend = true);
        await _h.ReconcileAsync();
        Assert.Null(_h.Store.Get<ConfigMap>("default", "a"));
        Assert.Equal(SourceConditions.Suspended, _h.Condition(SourceConditions.Reconciling)!.Reason);

        var s = _h.Source();
        s.Spec!.Suspend = false;
        (s.Metadata.Annotations ??= new())[SourceLabels.RequestedAt] = "2026-01-01T00:00:00Z";
        await _h.Store.UpdateAsync(s);
        await _h.ReconcileAsync();
        Assert.NotNull(_h.Store.Get<ConfigMap>("default", "a"));
        Assert.Equal("2026-01-01T00:00:00Z", _h.Source().Status!.LastHandledRequestedAt);
    }

    [Fact]
    public async Task Update_from_git_keeps_the_cluster_ip_the_cluster_assigned()
    {
        Repo.Write("svc.yaml", Manifests.Service("web", 80));
        Repo.Commit("first");
        await _h.CreateSourceAsync(Repo.FileUrl);
        await _h.ReconcileAsync();
        var svc = _h.Store.Get<Service>("default", "web")!;
        svc.Spec!.ClusterIP = "10.96.0.15";
        await _h.Store.UpdateAsync(svc);

        Repo.Write("svc.yaml", Manifests.Service("web", 8080));
        Repo.Commit("port");
        await _h.ReconcileAsync();

        var after = _h.Store.Get<Service>("default", "web")!;
        Assert.Equal(8080, after.Spec!.Ports![0].Port);
        Assert.Equal("10.96.0.15", after.Spec.ClusterIP);
    }
}
