using System.Text;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using Xunit;
using static GitOrch.Tests.Infrastructure.Agent.AgentTestHarness;

namespace GitOrch.Tests.Agent.Logs;

[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class LogsTests
{
    [Fact]
    public async Task Logs_through_the_engine_with_tail_follow_and_previous()
    {
        await using var h = await AgentTestHarness.StartAsync();

        // Every instance prints its own start count to stdout and stderr, then exits after a while.
        await h.CreatePodAsync("talker", Busybox("main",
            "echo \"line-1 $(date +%s%N)\"",
            "echo to-stderr >&2",
            "echo line-2",
            "i=0; while [ $i -lt 4 ]; do i=$((i+1)); echo tick-$i; sleep 0.5; done",
            "exit 1"));
        await h.WaitForPodAsync("talker", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.RestartCount >= 1, "restarted once");

        var all = await h.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/talker/log");
        Assert.Contains("line-1", all);
        Assert.Contains("to-stderr", all);

        var tail = await h.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/talker/log?tailLines=1");
        Assert.Single(tail.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // previous: the instance before the current one, which ran to its exit.
        var previous = await h.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/talker/log?previous=true&container=main");
        Assert.Contains("tick-4", previous);
        // stdout and stderr are separate pipes, so only lines of one stream keep their order: compare the stamped line.
        var firstLinePrevious = previous.Split('\n').First(l => l.StartsWith("line-1", StringComparison.Ordinal));
        var firstLineCurrent = (await h.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/talker/log")).Split('\n').First(l => l.StartsWith("line-1", StringComparison.Ordinal));
        Assert.NotEqual(firstLinePrevious, firstLineCurrent);

        var stamped = await h.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/talker/log?timestamps=true&tailLines=1");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT", stamped);
    }

    [Fact]
    public async Task Follow_streams_new_lines_as_they_are_written()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.CreatePodAsync("follower", Busybox("main", "i=0; while true; do i=$((i+1)); echo beat-$i; sleep 0.3; done"));
        await h.WaitForRunningAsync("follower");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var stream = await h.Client.OpenStreamAsync("/api/v1/namespaces/default/pods/follower/log?follow=true&tailLines=1", cts.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var seen = new List<string>();
        while (seen.Count < 4)
        {
            var line = await reader.ReadLineAsync(cts.Token);
            Assert.NotNull(line);
            seen.Add(line);
        }

        var numbers = seen.Select(l => int.Parse(l["beat-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(numbers.OrderBy(n => n), numbers);
        Assert.Equal(numbers[0] + 3, numbers[3]);
    }

    [Fact]
    public async Task Agent_log_endpoint_requires_the_agent_token_and_engine_log_requires_admin()
    {
        await using var h = await AgentTestHarness.StartAsync();
        await h.CreatePodAsync("secret-logs", Busybox("main", "echo private", "sleep 3600"));
        await h.WaitForRunningAsync("secret-logs");

        using var http = new HttpClient();
        var url = new Uri(h.Agent.LogUrl, "/containerLogs/default/secret-logs/main");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(url)).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, url);
        wrong.Headers.Authorization = new("Bearer", h.Engine.AdminToken);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, url);
        right.Headers.Authorization = new("Bearer", h.Engine.AgentToken);
        var ok = await http.SendAsync(right);
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("private", await ok.Content.ReadAsStringAsync());

        using var agentClient = h.Engine.CreateClient(h.Engine.AgentToken);
        var denied = await Assert.ThrowsAsync<GitOrchApiException>(() => agentClient.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/secret-logs/log"));
        Assert.Equal(403, denied.Code);
        var missing = await Assert.ThrowsAsync<GitOrchApiException>(() => h.Client.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/nope/log"));
        Assert.Equal(404, missing.Code);
    }
}
