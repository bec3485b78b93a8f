using System.Collections;
using Docker.DotNet.Models;
using GitOrch.Agent;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Examples;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;

namespace GitOrch.Tests.Examples;

/// <summary>
/// examples/multi-tier, its files unchanged in a Git repository, synced through the module onto a real agent: the
/// frontend's CGI page answers through the frontend Service with the backend's document, which it can only have
/// fetched from the backend Pod through the backend Service (its BACKEND_SERVICE_HOST/PORT point at the agent's
/// proxy, at the Service port, not at the backend Pod's own port).
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class MultiTierExampleTests() : ExampleClusterTest(NodeIP, "multi-tier")
{
    private const string NodeIP = "127.0.4.20";
    private const string BackendDocument = "{\"greeting\": \"hello from the backend\"}";

    [Fact]
    public async Task The_frontend_Service_serves_what_the_frontend_fetched_from_the_backend_Service()
    {
        Cluster.Run("Set-GitOrchSource shop -Url $url -Branch main -Path multi-tier -Interval 01:00:00", new Hashtable { ["url"] = Cluster.Repo.FileUrl });
        var synced = Cluster.Run("Sync-GitOrchSource shop -Wait -Timeout 00:00:30").Output.Single();
        Assert.Equal("True", synced.Properties["Ready"].Value?.ToString());
        var wait = Cluster.PowerShell.Run("Wait-Deployment backend, frontend -Timeout 00:01:00");
        Assert.True(!wait.AllErrors.Any(), "rollout: " + string.Join("; ", wait.AllErrors) + Environment.NewLine + Diagnostics());
        var services = Cluster.Run("Get-GitOrchService").Output.Select(s => s.Properties["Name"].Value).ToList();
        Assert.Equal(new object[] { "backend", "frontend" }, services.OrderBy(s => s));

        // The page, through the frontend Service (the agent's proxy at port 8001 on the node address).
        var page = await Eventually.UntilAsync(() => GetAsync($"http://{NodeIP}:8001/cgi-bin/index.cgi"), p => p.Contains("greeting", StringComparison.Ordinal), Deadline, "the frontend page with the backend's greeting");
        Assert.Equal("frontend says:\n" + BackendDocument + "\n", page.Replace("\r\n", "\n", StringComparison.Ordinal));

        // The backend Service itself serves that document; the frontend was told to use it, not the backend Pod's port.
        Assert.Equal(BackendDocument + "\n", await GetAsync($"http://{NodeIP}:9000/index.html"));
        var env = await FrontendEnvironmentAsync();
        Assert.Contains("BACKEND_SERVICE_HOST=" + NodeIP, env);
        Assert.Contains("BACKEND_SERVICE_PORT=9000", env);

        // With no backend Pod behind the Service, the frontend still answers but has nothing from the backend.
        Cluster.Run("Set-Deployment backend -Replicas 0 -Direct -WarningAction SilentlyContinue");
        await Eventually.UntilAsync(() => GetAsync($"http://{NodeIP}:8001/cgi-bin/index.cgi"), p => p.StartsWith("frontend says:", StringComparison.Ordinal) && !p.Contains("greeting", StringComparison.Ordinal), Deadline, "the frontend page without the backend");
    }

    /// <summary>Why Pods are not ready (an image pull, a port clash, ...), for the failure message.</summary>
    private string Diagnostics()
    {
        var pods = Cluster.Engine.Store.List<Pod>().Select(p => $"{p.Metadata.Name}: {p.Status?.Phase} {string.Join(",", p.Status?.ContainerStatuses?.Select(c => c.State?.Waiting?.Message ?? c.State?.Terminated?.Reason ?? "running") ?? [])}");
        var events = Cluster.Engine.Store.List<Event>().Where(e => e.Type == "Warning").Select(e => $"{e.Reason}: {e.Message}");
        return string.Join(Environment.NewLine, pods.Concat(events));
    }

    private async Task<string> GetAsync(string url)
    {
        try
        {
            return await Http.GetStringAsync(url);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "(" + e.Message + ")";
        }
    }

    private async Task<IList<string>> FrontendEnvironmentAsync()
    {
        using var docker = DockerTestEnvironment.CreateClient();
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{AgentLabels.NodeName}={Cluster.NodeName}"] = true, [$"{AgentLabels.ContainerName}=web"] = true },
            },
        });
        var inspect = await docker.Containers.InspectContainerAsync(Assert.Single(containers).ID);
        return inspect.Config?.Env ?? new List<string>();
    }
}
