using System.Net;
using System.Net.Http.Json;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Engine.Sources;
using GitOrch.Engine.Sources.Http;
using GitOrch.Engine.Sources.Previews;
using GitOrch.Engine.Sources.Webhooks;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Http;

/// <summary>The routes in a real Kestrel host with the controller running as a hosted service.</summary>
[Trait("Requires", "Git")]
public sealed class SourceEndpointsTests : IAsyncLifetime
{
    private const string HookSecret = "hook-secret-42";
    private readonly TempDirectory _dir = new("gitorch-source-http");
    private ObjectStore _store = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private TestRepo _repo = null!;

    public async Task InitializeAsync()
    {
        _store = ObjectStore.Open(Path.Combine(_dir.Path, "data"));
        _repo = new TestRepo(Path.Combine(_dir.Path, "git"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IObjectStore>(_store);
        builder.Services.AddGitOrchSources(Path.Combine(_dir.Path, "data"), o => o.DefaultTimeout = TimeSpan.FromSeconds(10));
        _app = builder.Build();
        _app.MapGitOrchSources();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
        _dir.Dispose();
    }

    private async Task CreateSourceAsync(string interval = "1h")
    {
        await _store.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "hook", Namespace = "default" }, StringData = new() { ["token"] = HookSecret } });
        await _store.CreateAsync(new GitSource
        {
            Metadata = new ObjectMeta { Name = "app", Namespace = "default" },
            Spec = new GitSourceSpec { Url = _repo.FileUrl, Interval = interval, Webhook = new GitSourceWebhook { SecretRef = new LocalObjectReference { Name = "hook" } } },
        });
    }

    [Fact]
    public async Task Webhook_with_good_signature_reconciles_within_a_second_and_bad_signature_is_401()
    {
        _repo.Write("a.yaml", Manifests.ConfigMap("a", "one"));
        _repo.Commit("first");
        await CreateSourceAsync();
        await Eventually.True(() => _store.Get<ConfigMap>("default", "a") != null, TimeSpan.FromSeconds(10), "first apply");

        _repo.Write("a.yaml", Manifests.ConfigMap("a", "two"));
        _repo.Commit("second");
        var body = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\"}");

        using var bad = new HttpRequestMessage(HttpMethod.Post, "/hooks/git/default/app") { Content = new ByteArrayContent(body) };
        bad.Headers.Add(WebhookVerifier.GitHubHeader, WebhookVerifier.Sign(body, "wrong-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(bad)).StatusCode);
        using var gitlabBad = new HttpRequestMessage(HttpMethod.Post, "/hooks/git/default/app") { Content = new ByteArrayContent(body) };
        gitlabBad.Headers.Add(WebhookVerifier.GitLabHeader, "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(gitlabBad)).StatusCode);
        await Task.Delay(300); // the only fixed wait: proving that nothing happens needs some time to pass
        Assert.Equal("one", _store.Get<ConfigMap>("default", "a")!.Data!["key"]);

        using var good = new HttpRequestMessage(HttpMethod.Post, "/hooks/git/default/app") { Content = new ByteArrayContent(body) };
        good.Headers.Add(WebhookVerifier.GitHubHeader, WebhookVerifier.Sign(body, HookSecret));
        var sent = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, (await _http.SendAsync(good)).StatusCode);
        await Eventually.True(() => _store.Get<ConfigMap>("default", "a")!.Data!["key"] == "two", TimeSpan.FromSeconds(1), "webhook reconcile");
        Assert.True(DateTime.UtcNow - sent < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_signed_pull_request_closed_notification_removes_the_preview_at_once()
    {
        _repo.Write("a.yaml", Manifests.ConfigMap("a", "main"));
        _repo.Commit("first");
        await CreateSourceAsync();
        await PostHookAsync("X-GitHub-Event", "pull_request", """{"action":"closed","number":9}"""); // previews off: nothing to close, nothing kept
        var source = _store.Get<GitSource>("default", "app")!;
        source.Spec!.Previews = new GitSourcePreviews { Enabled = true, NamespacePrefix = "pr-" };
        await _store.UpdateAsync(source, CancellationToken.None);
        _repo.Checkout("feature", create: true);
        _repo.Write("a.yaml", Manifests.ConfigMap("a", "pr"));
        _repo.Commit("pr 9", pushTo: "refs/pull/9/head");
        await PostHookAsync("X-GitHub-Event", "push", "{}");
        await Eventually.True(() => _store.Get<ConfigMap>("pr-9", "a") != null, TimeSpan.FromSeconds(10), "the preview of PR 9");

        await PostHookAsync("X-GitHub-Event", "pull_request", """{"action":"closed","number":9}""");
        await Eventually.True(() => _store.Get<Namespace>(null, "pr-9") == null, TimeSpan.FromSeconds(10), "the preview namespace to go");

        // The namespace goes before the reconcile that removed it writes status: wait for that write, then assert it.
        await Eventually.True(() => _store.Get<GitSource>("default", "app")!.Status!.Previews?.FirstOrDefault()?.State == PreviewReconciler.Closed, TimeSpan.FromSeconds(10), "the Closed preview status");
        Assert.Equal(PreviewReconciler.Closed, Assert.Single(_store.Get<GitSource>("default", "app")!.Status!.Previews!).State);
        Assert.Equal("main", _store.Get<ConfigMap>("default", "a")!.Data!["key"]);
    }

    private async Task PostHookAsync(string eventHeader, string eventName, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/git/default/app") { Content = new ByteArrayContent(body) };
        request.Headers.Add(WebhookVerifier.GitHubHeader, WebhookVerifier.Sign(body, HookSecret));
        request.Headers.Add(eventHeader, eventName);
        Assert.Equal(HttpStatusCode.Accepted, (await _http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Plan_route_returns_the_changes_without_applying_them_and_commits_route_pushes()
    {
        _repo.Write("a.yaml", Manifests.ConfigMap("a"));
        _repo.Commit("first");
        await CreateSourceAsync();
        await Eventually.True(() => _store.Get<ConfigMap>("default", "a") != null, TimeSpan.FromSeconds(10), "first apply");

        var commit = await _http.PostAsJsonAsync("/apis/gitorch.io/v1/namespaces/default/gitsources/app/commits", new { files = new Dictionary<string, string> { ["b.yaml"] = Manifests.ConfigMap("b") }, message = "add b", branch = "add-b" });
        Assert.Equal(HttpStatusCode.Created, commit.StatusCode);
        var result = await commit.Content.ReadFromJsonAsync<Dictionary<string, object>>();
        Assert.Equal(_repo.RemoteSha("refs/heads/add-b"), result!["commit"].ToString());

        var plan = await _http.PostAsJsonAsync("/apis/gitorch.io/v1/namespaces/default/gitsources/app/plan", new { @ref = "add-b" });
        var text = await plan.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        Assert.Contains("\"action\":\"Create\"", text);
        Assert.Contains("\"name\":\"b\"", text);
        Assert.Null(_store.Get<ConfigMap>("default", "b"));

        var missing = await _http.PostAsJsonAsync("/apis/gitorch.io/v1/namespaces/default/gitsources/app/plan", new { @ref = "no-such-branch" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var revert = await _http.PostAsJsonAsync("/apis/gitorch.io/v1/namespaces/default/gitsources/app/revert", new { commit = result["commit"].ToString(), branch = "add-b" });
        Assert.Equal(HttpStatusCode.Created, revert.StatusCode);
        Assert.Throws<InvalidOperationException>(() => _repo.RemoteFile("add-b", "b.yaml"));
    }

    [Fact]
    public async Task Polling_at_the_interval_picks_up_a_new_commit_without_a_webhook()
    {
        _repo.Write("a.yaml", Manifests.ConfigMap("a", "one"));
        _repo.Commit("first");
        await CreateSourceAsync(interval: "1s");
        await Eventually.True(() => _store.Get<ConfigMap>("default", "a") != null, TimeSpan.FromSeconds(10), "first apply");

        _repo.Write("a.yaml", Manifests.ConfigMap("a", "two"));
        _repo.Commit("second");

        await Eventually.True(() => _store.Get<ConfigMap>("default", "a")!.Data!["key"] == "two", TimeSpan.FromSeconds(5), "poll");
    }

    [Fact]
    public async Task Requested_at_annotation_makes_the_running_controller_reconcile_now()
    {
        _repo.Write("a.yaml", Manifests.ConfigMap("a", "one"));
        _repo.Commit("first");
        await CreateSourceAsync();
        await Eventually.True(() => _store.Get<ConfigMap>("default", "a") != null, TimeSpan.FromSeconds(10), "first apply");
        _repo.Write("a.yaml", Manifests.ConfigMap("a", "two"));
        _repo.Commit("second");

        var source = _store.Get<GitSource>("default", "app")!;
        (source.Metadata.Annotations ??= new())["gitorch.io/requestedAt"] = DateTimeOffset.UtcNow.ToString("O");
        await _store.UpdateAsync(source);

        await Eventually.True(() => _store.Get<ConfigMap>("default", "a")!.Data!["key"] == "two", TimeSpan.FromSeconds(3), "reconcile on request");
    }
}
