using System.Collections;
using GitOrch.Tests.Infrastructure.EndToEnd;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;

namespace GitOrch.Tests.EndToEnd;

/// <summary>
/// The promise itself, through the PowerShell module against a real engine process with its agent, Docker and a git
/// server: a commit of examples/hello becomes a running Pod whose page the Service serves, and the next commit
/// changes what the Service serves.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class CommitToServiceTests : IAsyncLifetime
{
    private EndToEndEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await EndToEndEnvironment.StartAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public Task A_pushed_commit_runs_and_is_reachable_through_the_Service_and_the_next_commit_changes_the_page() => _env.RunStoryAsync(async () =>
    {
        var node = _env.NewNodeName("commit");
        var address = NodeAddresses.Next();
        await _env.StartEngineAsync(Path.Combine(_env.Root, "data"), address, node);

        _env.WriteHelloExample();
        var first = _env.CommitAndPush("hello example");
        _env.Run("Set-GitOrchSource hello -Url $url -Branch main -Path $path -Interval 01:00:00", new Hashtable { ["url"] = _env.RepoUrl, ["path"] = EndToEndEnvironment.AppPath });
        var synced = _env.SyncSource().ThrowOnError().Output.Single();
        Assert.Equal("True", synced.Properties["Ready"].Value);
        Assert.Equal(first, synced.Properties["LastAppliedCommit"].Value);
        Assert.Equal(3, synced.Properties["Objects"].Value);

        var pod = Assert.Single(await _env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Equal(node, pod.Node);
        Assert.Equal(address, pod.IP);
        var node1 = _env.Run("Get-Node").Output.Single();
        Assert.Equal(node, node1.Properties["Name"].Value);
        Assert.Equal("Ready", node1.Properties["Status"].Value);

        // Through the Service (the agent's proxy on the node address), the page built from the ConfigMap in Git.
        var page = await _env.WaitPageAsync(address, HelloPorts.Service, HelloPorts.FirstHeading);
        Assert.Contains("This page comes from the hello-page ConfigMap in Git.", page, StringComparison.Ordinal);

        // A second commit changes the ConfigMap; what the Service serves follows it.
        _env.WriteAppFile("configmap.yaml", _env.ReadAppFile("configmap.yaml").Replace("Hello from GitOrch", "Hello from the second commit", StringComparison.Ordinal));
        var second = _env.CommitAndPush("hello: new heading");
        Assert.Equal(second, _env.SyncSource().ThrowOnError().Output.Single().Properties["LastAppliedCommit"].Value);
        page = await _env.WaitPageAsync(address, HelloPorts.Service, "<h1>Hello from the second commit</h1>");
        Assert.DoesNotContain(HelloPorts.FirstHeading, page, StringComparison.Ordinal);
        Assert.Single(await _env.WaitPodsRunningAsync("app=hello", 1));
    });
}
