using System.Net;
using System.Text;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Api.Client;

/// <summary>GitOrchClient against a real Engine, and its decoding of odd answers through a scripted handler.</summary>
public sealed class GitOrchClientTests : IAsyncLifetime
{
    private TestEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await TestEngine.StartAsync();

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Typed_round_trip_of_every_verb()
    {
        var c = _engine.Client;
        var created = await c.CreateAsync(Objects.Deployment("web", replicas: 2));
        Assert.Equal("apps/v1", created.ApiVersion);
        Assert.Equal(2, (await c.GetAsync<Deployment>("default", "web")).Spec!.Replicas);

        created.Spec!.Replicas = 3;
        Assert.Equal(3, (await c.ReplaceAsync(created)).Spec!.Replicas);
        Assert.Equal(4, (await c.PatchAsync<Deployment>("default", "web", new { spec = new { replicas = 4 } })).Spec!.Replicas);

        var withStatus = await c.GetAsync<Deployment>("default", "web");
        withStatus.Status = new DeploymentStatus { Replicas = 4, ReadyReplicas = 1 };
        Assert.Equal(1, (await c.ReplaceStatusAsync(withStatus)).Status!.ReadyReplicas);

        var list = await c.ListAsync<Deployment>("default");
        var item = Assert.Single(list.Items);
        Assert.Equal("Deployment", item.Kind);

        var byKind = await c.ListAsync(ResourceKinds.Deployment, null);
        Assert.IsType<Deployment>(Assert.Single(byKind.Items));

        await c.DeleteAsync<Deployment>("default", "web", "Background");
        Assert.Null(await c.TryGetAsync<Deployment>("default", "web"));
    }

    [Fact]
    public async Task Failures_carry_the_decoded_status()
    {
        var e = await Assert.ThrowsAsync<GitOrchApiException>(() => _engine.Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "Bad_Name" } }));
        Assert.Equal(422, e.Code);
        Assert.Equal("Invalid", e.Reason);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.StatusCode);
        Assert.Contains(e.Causes, c => c.Field == "metadata.name");

        using var wrong = _engine.CreateClient("nope");
        var unauthorized = await Assert.ThrowsAsync<GitOrchApiException>(() => wrong.ListAsync<Pod>());
        Assert.Equal(401, unauthorized.Code);
        Assert.Equal("Unauthorized", unauthorized.Reason);
    }

    [Fact]
    public async Task Watch_yields_typed_events_and_stops_on_cancel()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var from = _engine.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var received = new List<string>();
        var watch = Task.Run(async () =>
        {
            await foreach (var e in _engine.Client.WatchAsync<Pod>(null, from, cancellationToken: cts.Token))
            {
                received.Add(e.Type + " " + e.Object!.Name);
                if (received.Count == 2)
                {
                    return;
                }
            }
        });
        await _engine.Client.CreateAsync(Objects.Pod("a"));
        await _engine.Client.PatchStatusAsync<Pod>("default", "a", """{"status":{"phase":"Running"}}""");
        await watch;
        Assert.Equal(["ADDED a", "MODIFIED a"], received);

        using var stop = new CancellationTokenSource();
        var idle = Task.Run(async () =>
        {
            await foreach (var _ in _engine.Client.WatchAsync<Pod>(null, _engine.Store.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken: stop.Token))
            {
            }
        });
        await Eventually.True(() => ((GitOrch.Engine.Store.ObjectStore)_engine.Store).WatcherCount >= 1, TimeSpan.FromSeconds(10), "the idle watch to start");
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => idle);
    }

    [Fact]
    public async Task Bookmarks_arrive_on_quiet_watches_when_allowed()
    {
        GitOrch.Engine.Http.WatchHandler.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var stream = await _engine.Client.OpenStreamAsync("/api/v1/namespaces/default/pods?watch=1&allowWatchBookmarks=true&resourceVersion=" + _engine.Store.Revision, cts.Token);
            using var reader = new StreamReader(stream);
            var line = await reader.ReadLineAsync(cts.Token);
            Assert.Contains("\"type\":\"BOOKMARK\"", line, StringComparison.Ordinal);
        }
        finally
        {
            GitOrch.Engine.Http.WatchHandler.BookmarkInterval = TimeSpan.FromSeconds(15);
        }
    }

    [Fact]
    public async Task LocalEngine_connects_with_the_token_file_of_a_data_directory()
    {
        using var client = LocalEngine.Connect(_engine.DataDir, _engine.BaseUrl.ToString());
        Assert.NotNull(await client.GetAsync<Namespace>(null, "default"));
        using var empty = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => LocalEngine.Connect(empty.Path));
    }

    [Fact]
    public async Task Non_status_error_bodies_become_a_status_with_the_http_code()
    {
        using var client = new GitOrchClient(new Uri("http://127.0.0.1:1"), "t", new Scripted(HttpStatusCode.BadGateway, "upstream down", "text/plain"));
        var e = await Assert.ThrowsAsync<GitOrchApiException>(() => client.GetAsync<Pod>("default", "x"));
        Assert.Equal(502, e.Code);
        Assert.Equal("upstream down", e.Message);
    }

    [Fact]
    public async Task Requests_carry_the_bearer_token_and_json_media_types()
    {
        var handler = new Scripted(HttpStatusCode.OK, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}""", "application/json");
        using var client = new GitOrchClient(new Uri("http://127.0.0.1:1/"), "secret-token", handler);
        await client.PatchAsync<ConfigMap>("default", "x", """{"data":{"a":"b"}}""");
        Assert.Equal("Bearer secret-token", handler.Last!.Headers.Authorization!.ToString());
        Assert.Equal("application/merge-patch+json", handler.LastContentType);
        Assert.Equal("/api/v1/namespaces/default/configmaps/x", handler.Last.RequestUri!.AbsolutePath);

        await client.ListAsync<Pod>(null, "app=web,tier in (a,b)", "spec.nodeName=n1");
        Assert.Equal("/api/v1/pods", handler.Last.RequestUri!.AbsolutePath);
        Assert.Contains("labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29", handler.Last.RequestUri.Query, StringComparison.Ordinal);
    }

    private sealed class Scripted(HttpStatusCode code, string body, string mediaType) : HttpMessageHandler
    {
        public HttpRequestMessage? Last { get; private set; }

        public string? LastContentType { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Last = request;
            LastContentType = request.Content?.Headers.ContentType?.MediaType;
            return Task.FromResult(new HttpResponseMessage(code) { Content = new StringContent(code == HttpStatusCode.OK && request.RequestUri!.AbsolutePath.EndsWith("/pods", StringComparison.Ordinal) ? """{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[]}""" : body, Encoding.UTF8, mediaType) });
        }
    }
}
