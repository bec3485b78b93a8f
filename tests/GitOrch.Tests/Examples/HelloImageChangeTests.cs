using System.Collections;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Examples;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;

namespace GitOrch.Tests.Examples;

/// <summary>
/// examples/hello on the one node a quick start has: an image change committed to Git rolls out. The Pod holds a
/// fixed hostPort, so a surge Pod could never start beside it; the example's strategy (no surge) is what lets the
/// rollout finish instead of waiting forever.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class HelloImageChangeTests : IAsyncLifetime
{
    private const string NodeIP = "127.0.4.30";
    private const string NewImage = "127.0.0.1:5000/gitorch-test/busybox:latest";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private ExampleCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ExampleCluster.StartAsync(NodeIP);
        _cluster.CopyExample("hello", "hello");
        _cluster.Repo.Commit("hello example");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task An_image_change_committed_to_Git_rolls_out_on_a_single_node()
    {
        _cluster.Run("Set-GitOrchSource hello -Url $url -Branch main -Path hello -Interval 01:00:00", new Hashtable { ["url"] = _cluster.Repo.FileUrl });
        _cluster.Run("Sync-GitOrchSource hello -Wait -Timeout 00:00:30");
        _cluster.Run("Wait-Deployment hello -Timeout 00:01:00");
        await PageAsync();

        var manifest = File.ReadAllText(Path.Combine(PowerShellSession.RepoRoot, "examples", "hello", "deployment.yaml"));
        Assert.Contains("image: " + DockerTestEnvironment.TestImage, manifest, StringComparison.Ordinal);
        _cluster.Repo.Write("hello/deployment.yaml", manifest.Replace("image: " + DockerTestEnvironment.TestImage, "image: " + NewImage, StringComparison.Ordinal));
        _cluster.Repo.Commit("hello: new image");
        _cluster.Run("Sync-GitOrchSource hello -Wait -Timeout 00:00:30");

        var wait = _cluster.PowerShell.Run("Wait-Deployment hello -Timeout 00:01:00");
        Assert.True(!wait.AllErrors.Any(), "rollout: " + string.Join("; ", wait.AllErrors));
        var pods = _cluster.Engine.Store.List<Pod>("default").Where(p => p.Metadata.Labels?["app"] == "hello" && p.Metadata.DeletionTimestamp == null).ToList();
        Assert.Equal(NewImage, Assert.Single(pods).Spec!.Containers[0].Image);
        await PageAsync();
    }

    /// <summary>The page, through the hello Service on the node address.</summary>
    private Task<string> PageAsync()
        => Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    return await _http.GetStringAsync($"http://{NodeIP}:8000/");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return e.Message;
                }
            },
            page => page.Contains("Hello from GitOrch", StringComparison.Ordinal),
            Deadline,
            "the hello page through the Service");
}
