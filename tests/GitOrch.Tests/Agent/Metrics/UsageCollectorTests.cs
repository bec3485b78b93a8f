using System.Net;
using System.Net.Http.Headers;
using GitOrch.Agent.Metrics;
using GitOrch.Api.Metrics;
using GitOrch.Api.Serialization;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Agent.Metrics;

/// <summary>A real agent samples a real container's CPU and memory and serves them at /stats/usage behind its token.</summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class UsageCollectorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_cpu_burning_container_shows_about_one_core_and_an_idle_one_almost_none()
    {
        await using var h = await AgentTestHarness.StartAsync();
        var burner = await h.CreatePodAsync("burner", Busybox("main", "while :; do :; done"));
        var idle = await h.CreatePodAsync("idle", Busybox("main", "sleep 3600"));
        await h.WaitForRunningAsync("burner");
        await h.WaitForRunningAsync("idle");

        var usage = h.Agent.Usage!;
        var sample = await Eventually.Until(() => usage.Latest, s => s.Pods.Any(p => p.Name == "burner" && p.Containers[0].CpuNanoCores > 300_000_000) && s.Pods.Any(p => p.Name == "idle"), Timeout, "usage of both pods");

        var hot = sample.Pods.Single(p => p.Name == "burner");
        Assert.Equal(burner.Metadata.Uid, hot.Uid);
        Assert.Equal("default", hot.Namespace);
        Assert.Equal("main", hot.Containers[0].Name);
        Assert.InRange(hot.WindowSeconds, 0.5, 5);
        Assert.True(hot.Containers[0].MemoryWorkingSetBytes > 0);
        var cold = sample.Pods.Single(p => p.Name == "idle");
        Assert.Equal(idle.Metadata.Uid, cold.Uid);
        Assert.True(cold.Containers[0].CpuNanoCores < 100_000_000, $"idle pod used {cold.Containers[0].CpuNanoCores} nanocores");
        Assert.True(sample.Node.CpuNanoCores > 0);
        Assert.True(sample.Node.MemoryWorkingSetBytes > 0);
    }

    [Fact]
    public async Task Stats_usage_needs_the_agent_token()
    {
        await using var h = await AgentTestHarness.StartAsync();
        using var http = new HttpClient();
        var url = new Uri(h.Agent.LogUrl, UsageEndpoint.UsagePath);
        using var anonymous = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, url);
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, url);
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", h.Engine.AgentToken);
        using var ok = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var summary = KubeJson.Deserialize<UsageSummary>(await ok.Content.ReadAsStringAsync());
        Assert.Equal(h.NodeName, summary.Node.NodeName);

        using var metrics = new HttpRequestMessage(HttpMethod.Get, new Uri(h.Agent.LogUrl, "/metrics"));
        metrics.Headers.Authorization = new AuthenticationHeaderValue("Bearer", h.Engine.AgentToken);
        using var text = await http.SendAsync(metrics);
        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.Contains("process_", await text.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
