using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Fetch;
using GitOrch.Engine.Sources.Writing;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Writing;

[Trait("Requires", "Git")]
public sealed class GitWriterTests : IAsyncLifetime
{
    private readonly SourceHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Commit_on_a_new_branch_lands_in_the_remote_over_http_with_the_source_credentials()
    {
        await using var server = await GitHttpServer.StartAsync(Path.GetDirectoryName(_h.Repo.BarePath)!, "bot", "pw-123456");
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a"));
        var main = _h.Repo.Commit("first");
        await _h.Store.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "auth", Namespace = "default" }, StringData = new() { ["username"] = "bot", ["password"] = "pw-123456" } });
        await _h.CreateSourceAsync(server.UrlOf("repo.git"), configure: s => s.SecretRef = new LocalObjectReference { Name = "auth" });

        var result = await _h.Writer.CommitAsync("default", "app", new GitChangeRequest
        {
            Files = new() { ["b.yaml"] = Manifests.ConfigMap("b"), ["a.yaml"] = null },
            Message = "add b, drop a",
            Branch = "feature/b",
        }, CancellationToken.None);

        Assert.Equal("feature/b", result.Branch);
        Assert.True(result.CreatedBranch);
        Assert.Equal(result.Commit, _h.Repo.RemoteSha("refs/heads/feature/b"));
        Assert.Equal(main, _h.Repo.RemoteSha(result.Commit + "^"));
        Assert.Contains("name: b", _h.Repo.RemoteFile("feature/b", "b.yaml"));
        Assert.Throws<InvalidOperationException>(() => _h.Repo.RemoteFile("feature/b", "a.yaml"));
        Assert.Equal(main, _h.Repo.RemoteSha("refs/heads/main")); // the tracked branch is untouched
    }

    [Fact]
    public async Task A_branch_that_moved_is_refused_as_non_fast_forward()
    {
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a"));
        var first = _h.Repo.Commit("first");
        await _h.CreateSourceAsync(_h.Repo.FileUrl);
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a", "moved"));
        var moved = _h.Repo.Commit("someone else pushed");

        var e = await Assert.ThrowsAsync<GitFetchException>(() => _h.Writer.CommitAsync("default", "app", new GitChangeRequest
        {
            Files = new() { ["c.yaml"] = Manifests.ConfigMap("c") },
            Message = "based on an old commit",
            Branch = "main",
            Parent = first,
        }, CancellationToken.None));

        Assert.Equal("PushRejected", e.Reason);
        Assert.Contains("non-fast-forward", e.Message);
        Assert.Equal(moved, _h.Repo.RemoteSha("refs/heads/main"));
    }

    [Fact]
    public async Task Revert_on_the_tracked_branch_and_on_a_new_branch_lands_in_the_remote()
    {
        await using var daemon = await GitDaemon.StartAsync(Path.GetDirectoryName(_h.Repo.BarePath)!);
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a", "good"));
        _h.Repo.Commit("good");
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a", "bad"));
        var bad = _h.Repo.Commit("bad change");
        await _h.CreateSourceAsync(daemon.UrlOf("repo.git"));

        var pr = await _h.Writer.RevertAsync("default", "app", new GitRevertRequest { Commit = bad, Branch = "revert-bad" }, CancellationToken.None);
        Assert.Equal(bad, _h.Repo.RemoteSha("refs/heads/main"));
        Assert.Contains("\"good\"", _h.Repo.RemoteFile("revert-bad", "a.yaml"));

        var onMain = await _h.Writer.RevertAsync("default", "app", new GitRevertRequest { Commit = bad }, CancellationToken.None);
        Assert.Equal("main", onMain.Branch);
        Assert.Equal(onMain.Commit, _h.Repo.RemoteSha("refs/heads/main"));
        Assert.Contains("\"good\"", _h.Repo.RemoteFile("main", "a.yaml"));
        Assert.Contains("This reverts commit " + bad, Git.Run(_h.Repo.BarePath, "log", "-1", "--format=%B", "main"));
    }
}
