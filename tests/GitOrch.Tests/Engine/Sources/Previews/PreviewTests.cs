using GitOrch.Api.Model;
using GitOrch.Engine.Sources;
using GitOrch.Engine.Sources.Previews;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Previews;

[Trait("Requires", "Git")]
public sealed class PreviewTests : IAsyncLifetime
{
    private readonly SourceHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Pull_request_ref_gets_a_preview_namespace_updated_on_new_commits_and_removed_with_the_ref()
    {
        var repo = _h.Repo;
        repo.Write("web.yaml", Manifests.Deployment("web", "busybox:1")).Write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shared\n");
        repo.Commit("main");
        await _h.CreateSourceAsync(repo.FileUrl, configure: s => s.Previews = new GitSourcePreviews { Enabled = true, NamespacePrefix = "pr-", MaxPreviews = 1 });
        await _h.ReconcileAsync();

        repo.Checkout("feature", create: true);
        repo.Write("web.yaml", Manifests.Deployment("web", "busybox:2")).Write("extra.yaml", Manifests.ConfigMap("extra"));
        var pr1 = repo.Commit("pr 1", pushTo: "refs/pull/1/head");
        repo.Commit("pr 2 (over the limit)", pushTo: "refs/pull/2/head");
        await _h.ReconcileAsync();

        Assert.NotNull(_h.Store.Get<Namespace>(null, "pr-1"));
        Assert.Equal("busybox:2", _h.Store.Get<Deployment>("pr-1", "web")!.Spec!.Template.Spec!.Containers[0].Image);
        Assert.NotNull(_h.Store.Get<ConfigMap>("pr-1", "extra"));
        Assert.Equal("busybox:1", _h.Store.Get<Deployment>("default", "web")!.Spec!.Template.Spec!.Containers[0].Image); // production untouched
        Assert.Null(_h.Store.Get<Namespace>(null, "pr-2"));
        var previews = _h.Source().Status!.Previews!;
        var p1 = previews.Single(p => p.Number == 1);
        Assert.Equal(PreviewReconciler.Ready, p1.State);
        Assert.Equal(pr1, p1.Commit);
        Assert.Contains("cluster-scoped", p1.Message);
        Assert.Equal(PreviewReconciler.Skipped, previews.Single(p => p.Number == 2).State);

        repo.Write("web.yaml", Manifests.Deployment("web", "busybox:3")).Delete("extra.yaml");
        repo.Commit("pr 1 update", pushTo: "refs/pull/1/head");
        await _h.ReconcileAsync();
        Assert.Equal("busybox:3", _h.Store.Get<Deployment>("pr-1", "web")!.Spec!.Template.Spec!.Containers[0].Image);
        Assert.Null(_h.Store.Get<ConfigMap>("pr-1", "extra"));

        repo.DeleteRemoteRef("refs/pull/1/head");
        repo.DeleteRemoteRef("refs/pull/2/head");
        await _h.ReconcileAsync();
        Assert.Null(_h.Store.Get<Deployment>("pr-1", "web"));
        Assert.Null(_h.Store.Get<Namespace>(null, "pr-1"));
        Assert.Null(_h.Source().Status!.Previews);
        Assert.NotNull(_h.Store.Get<Deployment>("default", "web"));
    }

    [Fact]
    public async Task Deleting_the_source_removes_its_previews_but_leaves_production_running()
    {
        var repo = _h.Repo;
        repo.Write("web.yaml", Manifests.Deployment("web", "busybox:1"));
        repo.Commit("main");
        await _h.CreateSourceAsync(repo.FileUrl, configure: s => s.Previews = new GitSourcePreviews { Enabled = true, NamespacePrefix = "pr-" });
        await _h.ReconcileAsync();
        repo.Checkout("feature", create: true);
        repo.Write("web.yaml", Manifests.Deployment("web", "busybox:2"));
        repo.Commit("pr 3", pushTo: "refs/pull/3/head");
        await _h.ReconcileAsync();
        Assert.NotNull(_h.Store.Get<Deployment>("pr-3", "web"));
        Assert.Equal(new[] { "default/app" }, _h.Reconciler.Previews.PreviewOwners());

        await _h.Store.DeleteAsync(ResourceKinds.GitSource, "default", "app", null, CancellationToken.None);
        await _h.ReconcileAsync();

        Assert.Null(_h.Store.Get<Deployment>("pr-3", "web"));
        Assert.Null(_h.Store.Get<Namespace>(null, "pr-3"));
        Assert.Empty(_h.Reconciler.Previews.PreviewOwners());
        Assert.Equal("busybox:1", _h.Store.Get<Deployment>("default", "web")!.Spec!.Template.Spec!.Containers[0].Image);
    }

    [Fact]
    public async Task A_pull_request_reported_closed_loses_its_preview_though_its_ref_stays_until_reopened_or_moved()
    {
        // GitHub keeps refs/pull/N/head after a PR closes: only the forge's notification says the preview is done.
        var repo = _h.Repo;
        repo.Write("web.yaml", Manifests.Deployment("web", "busybox:1"));
        repo.Commit("main");
        await _h.CreateSourceAsync(repo.FileUrl, configure: s => s.Previews = new GitSourcePreviews { Enabled = true, NamespacePrefix = "pr-" });
        await _h.ReconcileAsync();
        repo.Checkout("feature", create: true);
        repo.Write("web.yaml", Manifests.Deployment("web", "busybox:2"));
        var head = repo.Commit("pr 5", pushTo: "refs/pull/5/head");
        await _h.ReconcileAsync();
        Assert.NotNull(_h.Store.Get<Deployment>("pr-5", "web"));

        _h.Reconciler.Previews.RecordPullRequest("default", "app", 5, open: false);
        await _h.ReconcileAsync();
        Assert.Null(_h.Store.Get<Namespace>(null, "pr-5"));
        var closed = Assert.Single(_h.Source().Status!.Previews!);
        Assert.Equal((PreviewReconciler.Closed, head), (closed.State, closed.Commit));

        await _h.ReconcileAsync(); // the ref is still there: the preview stays closed
        Assert.Null(_h.Store.Get<Namespace>(null, "pr-5"));

        _h.Reconciler.Previews.RecordPullRequest("default", "app", 5, open: true);
        await _h.ReconcileAsync();
        Assert.Equal("busybox:2", _h.Store.Get<Deployment>("pr-5", "web")!.Spec!.Template.Spec!.Containers[0].Image);
        Assert.Equal(PreviewReconciler.Ready, Assert.Single(_h.Source().Status!.Previews!).State);

        _h.Reconciler.Previews.RecordPullRequest("default", "app", 5, open: false);
        await _h.ReconcileAsync();
        Assert.Null(_h.Store.Get<Namespace>(null, "pr-5"));
        repo.Write("web.yaml", Manifests.Deployment("web", "busybox:3"));
        repo.Commit("pr 5 gets a new commit", pushTo: "refs/pull/5/head");
        await _h.ReconcileAsync(); // a closed PR whose ref moves is being worked on again
        Assert.Equal("busybox:3", _h.Store.Get<Deployment>("pr-5", "web")!.Spec!.Template.Spec!.Containers[0].Image);
        Assert.Equal("busybox:1", _h.Store.Get<Deployment>("default", "web")!.Spec!.Template.Spec!.Containers[0].Image);
    }
}
