using GitOrch.Api.Model;
using GitOrch.Engine.Sources;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Fetch;

[Trait("Requires", "Git")]
public sealed class RemoteFetchTests : IAsyncLifetime
{
    private const string Password = "s3cr3t-Passw0rd-xyz";
    private readonly SourceHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private string GitRoot => Path.GetDirectoryName(_h.Repo.BarePath)!;

    [Fact]
    public async Task Git_daemon_down_is_FetchFailed_keeps_last_good_state_and_recovers()
    {
        await using var daemon = await GitDaemon.StartAsync(GitRoot);
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a", "one"));
        var first = _h.Repo.Commit("first");
        await _h.CreateSourceAsync(daemon.UrlOf("repo.git"));
        await _h.ReconcileAsync();
        Assert.Equal("one", _h.Store.Get<ConfigMap>("default", "a")!.Data!["key"]);

        daemon.Stop();
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a", "two"));
        var second = _h.Repo.Commit("second");
        await _h.ReconcileAsync();

        var ready = _h.Condition(SourceConditions.Ready)!;
        Assert.Equal("False", ready.Status);
        Assert.Equal(SourceConditions.FetchFailed, ready.Reason);
        Assert.Equal("True", _h.Condition(SourceConditions.Reconciling)!.Status); // retrying, not stalled
        Assert.Equal("one", _h.Store.Get<ConfigMap>("default", "a")!.Data!["key"]);
        Assert.Equal(first, _h.Source().Status!.LastAppliedCommit);
        Assert.Contains(await _h.EventsAsync(), e => e.Reason == SourceConditions.FetchFailed);

        await daemon.StartAsync();
        await _h.ReconcileAsync();

        Assert.Equal("two", _h.Store.Get<ConfigMap>("default", "a")!.Data!["key"]);
        Assert.Equal(second, _h.Source().Status!.LastAppliedCommit);
        Assert.Equal("True", _h.Condition(SourceConditions.Ready)!.Status);
    }

    [Fact]
    public async Task Http_with_basic_auth_fetches_and_wrong_credentials_fail_without_leaking_the_secret()
    {
        await using var server = await GitHttpServer.StartAsync(GitRoot, "deploy", Password);
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a"));
        var sha = _h.Repo.Commit("first");
        await _h.Store.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "git-auth", Namespace = "default" }, StringData = new() { ["username"] = "deploy", ["password"] = Password } });
        await _h.Store.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "wrong-auth", Namespace = "default" }, StringData = new() { ["username"] = "deploy", ["password"] = "not-the-" + Password } });
        await _h.CreateSourceAsync(server.UrlOf("repo.git"), "good", s => s.SecretRef = new LocalObjectReference { Name = "git-auth" });
        await _h.CreateSourceAsync(server.UrlOf("repo.git").Replace("http://", "http://deploy:not-the-" + Password + "@"), "bad", s => s.SecretRef = new LocalObjectReference { Name = "wrong-auth" });

        await _h.ReconcileAsync("good");
        await _h.ReconcileAsync("bad");

        Assert.Equal(sha, _h.Source("good").Status!.LastAppliedCommit);
        Assert.NotNull(_h.Store.Get<ConfigMap>("default", "a"));
        var ready = _h.Condition(SourceConditions.Ready, "bad")!;
        Assert.Equal(SourceConditions.FetchFailed, ready.Reason);
        Assert.Contains("authentication failed", ready.Message);
        var everything = string.Join("\n", new[] { ready.Message, _h.Source("bad").Status!.History![0].Message }.Concat((await _h.EventsAsync()).Select(e => e.Message)));
        Assert.DoesNotContain(Password, everything);
    }

    [Fact]
    public async Task Token_secret_authenticates_over_http()
    {
        const string token = "ghp_tokenvalue123456";
        await using var server = await GitHttpServer.StartAsync(GitRoot, "git", token);
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a"));
        var sha = _h.Repo.Commit("first");
        await _h.Store.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "tok", Namespace = "default" }, StringData = new() { ["token"] = token } });
        await _h.CreateSourceAsync(server.UrlOf("repo.git"), configure: s => s.SecretRef = new LocalObjectReference { Name = "tok" });

        await _h.ReconcileAsync();

        Assert.Equal(sha, _h.Source().Status!.LastAppliedCommit);
    }

    [Fact]
    public async Task Tag_and_semver_refs_resolve_to_the_right_commit()
    {
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a", "1.0"));
        _h.Repo.Commit("v1");
        Git.Run(_h.Repo.WorkPath, "tag", "-a", "v1.0.0", "-m", "one");
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a", "1.4"));
        var v14 = _h.Repo.Commit("v1.4");
        Git.Run(_h.Repo.WorkPath, "tag", "v1.4.0");
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a", "2.0"));
        _h.Repo.Commit("v2");
        Git.Run(_h.Repo.WorkPath, "tag", "v2.0.0");
        Git.Run(_h.Repo.WorkPath, "push", "-q", "origin", "--tags");
        await _h.CreateSourceAsync(_h.Repo.FileUrl, "sem", s => s.Ref = new GitSourceRef { Semver = "^1.0" });

        await _h.ReconcileAsync("sem");

        Assert.Equal(v14, _h.Source("sem").Status!.LastAppliedCommit);
        Assert.Equal("1.4", _h.Store.Get<ConfigMap>("default", "a")!.Data!["key"]);
    }

    [Fact]
    public async Task Server_that_never_answers_fails_at_the_source_timeout()
    {
        _h.Repo.Write("a.yaml", Manifests.ConfigMap("a"));
        _h.Repo.Commit("first");
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(); // the kernel accepts connections; nobody ever answers
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await _h.CreateSourceAsync($"git://127.0.0.1:{port}/repo.git", configure: s => s.Timeout = "1s");

        var sw = System.Diagnostics.Stopwatch.StartNew();
        await _h.ReconcileAsync();

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        var ready = _h.Condition(SourceConditions.Ready)!;
        Assert.Equal(SourceConditions.FetchFailed, ready.Reason);
        Assert.Contains("no answer within 1s", ready.Message);
        silent.Stop();
    }
}
