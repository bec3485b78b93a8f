using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Webhooks;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Engine.Sources.Http;

/// <summary>The source controller inside the real Engine host: bearer auth on subresources, none on /hooks/.</summary>
[Trait("Requires", "Git")]
public sealed class EngineHostSourceTests
{
    [Fact]
    public async Task Engine_host_runs_the_source_controller_and_serves_its_routes()
    {
        await using var engine = await TestEngine.StartAsync(startComponents: true);
        using var dir = new TempDirectory("gitorch-engine-git");
        var repo = new TestRepo(dir.Path);
        repo.Write("a.yaml", Manifests.ConfigMap("a", "one"));
        repo.Commit("first");
        await engine.Store.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "hook", Namespace = "default" }, StringData = new() { ["token"] = "s" } });
        await engine.Store.CreateAsync(new GitSource
        {
            Metadata = new ObjectMeta { Name = "app", Namespace = "default" },
            Spec = new GitSourceSpec { Url = repo.FileUrl, Interval = "1h", Webhook = new GitSourceWebhook { SecretRef = new LocalObjectReference { Name = "hook" } } },
        });
        await Eventually.True(() => engine.Store.Get<ConfigMap>("default", "a") != null, TimeSpan.FromSeconds(15), "first apply");

        using var http = engine.CreateHttpClient(null);
        var anonymousPlan = await http.PostAsJsonAsync("/apis/gitorch.io/v1/namespaces/default/gitsources/app/plan", new { });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPlan.StatusCode);
        using var planRequest = new HttpRequestMessage(HttpMethod.Post, "/apis/gitorch.io/v1/namespaces/default/gitsources/app/plan") { Content = JsonContent.Create(new { }) };
        planRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", engine.AdminToken);
        var plan = await http.SendAsync(planRequest);
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);

        repo.Write("a.yaml", Manifests.ConfigMap("a", "two"));
        repo.Commit("second");
        var body = Encoding.UTF8.GetBytes("{}");
        using var hook = new HttpRequestMessage(HttpMethod.Post, "/hooks/git/default/app") { Content = new ByteArrayContent(body) };
        hook.Headers.Add(WebhookVerifier.GitHubHeader, WebhookVerifier.Sign(body, "s"));
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(hook)).StatusCode);
        await Eventually.True(() => engine.Store.Get<ConfigMap>("default", "a")!.Data!["key"] == "two", TimeSpan.FromSeconds(2), "webhook reconcile");
    }
}
