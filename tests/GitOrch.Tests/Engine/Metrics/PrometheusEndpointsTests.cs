using GitOrch.Engine.Security;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Metrics;

/// <summary>/metrics on the Engine: Prometheus text with the gitorch_ families, the admin or read-only metrics token, 401 otherwise.</summary>
public sealed class PrometheusEndpointsTests
{
    [Fact]
    public async Task Metrics_show_api_store_controller_and_scheduler_families()
    {
        await using var engine = await TestEngine.StartAsync(startComponents: true);
        await engine.Client.CreateAsync(Objects.Deployment("web"));
        await engine.Client.ListAsync<GitOrch.Api.Model.Pod>("default");
        using var raw = new RawHttp(engine, engine.AdminToken);

        // Controllers reconcile the Deployment asynchronously: wait until their families appear.
        var text = await Eventually.UntilAsync(async () => (await raw.SendAsync("GET", "/metrics")).Body,
            t => t.Contains("gitorch_controller_reconciles_total", StringComparison.Ordinal) && t.Contains("gitorch_scheduler_schedule_attempts_total", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "controller and scheduler metrics");
        Assert.Contains("# TYPE gitorch_apiserver_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("gitorch_apiserver_requests_total{code=\"201\",kind=\"deployments\",verb=\"create\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE gitorch_apiserver_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("gitorch_store_commit_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("gitorch_store_commit_batch_writes_count", text, StringComparison.Ordinal);
        Assert.Contains("gitorch_workqueue_depth{controller=\"deployment\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE gitorch_controller_reconcile_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_watch_is_counted_until_it_closes()
    {
        await using var engine = await TestEngine.StartAsync();
        using var raw = new RawHttp(engine, engine.AdminToken);
        using var http = engine.CreateHttpClient(engine.AdminToken);
        using (var watch = await http.GetAsync("/api/v1/namespaces/default/configmaps?watch=1", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.True(watch.IsSuccessStatusCode);
            await Eventually.UntilAsync(async () => (await raw.SendAsync("GET", "/metrics")).Body,
                t => t.Contains("gitorch_apiserver_watches{kind=\"configmaps\"} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "one open configmaps watch");
        }

        await Eventually.UntilAsync(async () => (await raw.SendAsync("GET", "/metrics")).Body,
            t => t.Contains("gitorch_apiserver_watches{kind=\"configmaps\"} 0", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the watch closed");
    }

    [Fact]
    public async Task The_metrics_token_reads_metrics_only_and_a_wrong_token_gets_401()
    {
        await using var engine = await TestEngine.StartAsync(startComponents: true);
        var metricsToken = File.ReadAllText(Path.Combine(engine.DataDir, ApiTokens.MetricsFile)).Trim();
        using var scraper = new RawHttp(engine, metricsToken);
        Assert.Equal(200, (await scraper.SendAsync("GET", "/metrics")).Code);
        Assert.Equal(403, (await scraper.SendAsync("GET", "/api/v1/namespaces/default/pods")).Code);
        Assert.Equal(403, (await scraper.SendAsync("GET", "/apis")).Code);

        using var wrong = new RawHttp(engine, "wrong-token");
        Assert.Equal(401, (await wrong.SendAsync("GET", "/metrics")).Code);
        using var none = new RawHttp(engine, null);
        Assert.Equal(401, (await none.SendAsync("GET", "/metrics")).Code);
    }
}
