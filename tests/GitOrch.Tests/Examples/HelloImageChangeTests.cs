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
public sealed class HelloImageChangeTests() : ExampleClusterTest(NodeIP, "hello")
{
    private const string NodeIP = "127.0.4.30";
    private const string NewImage = "127.0.0.1:5000/gitorch-test/busybox:latest";

    [Fact]
    public async Task An_image_change_committed_to_Git_rolls_out_on_a_single_node()
    {
        Cluster.Run("Set-GitOrchSource hello -Url $url -Branch main -Path hello -Interval 01:00:00", new Hashtable { ["url"] = Cluster.Repo.FileUrl });
        Cluster.Run("Sync-GitOrchSource hello -Wait -Timeout 00:00:30");
        Cluster.Run("Wait-Deployment hello -Timeout 00:01:00");
        await PageAsync();

        var manifest = File.ReadAllText(Path.Combine(PowerShellSession.RepoRoot, "examples", "hello", "deployment.yaml"));
        Assert.Contains("image: " + DockerTestEnvironment.TestImage, manifest, StringComparison.Ordinal);
        Cluster.Repo.Write("hello/deployment.yaml", manifest.Replace("image: " + DockerTestEnvironment.TestImage, "image: " + NewImage, StringComparison.Ordinal));
        Cluster.Repo.Commit("hello: new image");
        Cluster.Run("Sync-GitOrchSource hello -Wait -Timeout 00:00:30");

        var wait = Cluster.PowerShell.Run("Wait-Deployment hello -Timeout 00:01:00");
        Assert.True(!wait.AllErrors.Any(), "rollout: " + string.Join("; ", wait.AllErrors));
        var pods = Cluster.Engine.Store.List<Pod>("default").Where(p => p.Metadata.Labels?["app"] == "hello" && p.Metadata.DeletionTimestamp == null).ToList();
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
                    return await Http.GetStringAsync($"http://{NodeIP}:8000/");
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
