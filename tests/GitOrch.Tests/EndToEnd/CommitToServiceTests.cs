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
public sealed class CommitToServiceTests : EndToEndTest
{
    [Fact]
    public Task A_pushed_commit_runs_and_is_reachable_through_the_Service_and_the_next_commit_changes_the_page() => Env.RunStoryAsync(async () =>
    {
        var node = Env.NewNodeName("commit");
        var address = NodeAddresses.Next();
        await Env.StartEngineAsync(Path.Combine(Env.Root, "data"), address, node);

        Env.WriteHelloExample();
        var first = Env.CommitAndPush("hello example");
        Env.Run("Set-GitOrchSource hello -Url $url -Branch main -Path $path -Interval 01:00:00", new Hashtable { ["url"] = Env.RepoUrl, ["path"] = EndToEndEnvironment.AppPath });
        var synced = Env.SyncSource().ThrowOnError().Output.Single();
        Assert.Equal("True", synced.Properties["Ready"].Value);
        Assert.Equal(first, synced.Properties["LastAppliedCommit"].Value);
        Assert.Equal(3, synced.Properties["Objects"].Value);

        var pod = Assert.Single(await Env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Equal(node, pod.Node);
        Assert.Equal(address, pod.IP);
        var node1 = Env.Run("Get-Node").Output.Single();
        Assert.Equal(node, node1.Properties["Name"].Value);
        Assert.Equal("Ready", node1.Properties["Status"].Value);

        // Through the Service (the agent's proxy on the node address), the page built from the ConfigMap in Git.
        var page = await Env.WaitPageAsync(address, HelloPorts.Service, HelloPorts.FirstHeading);
        Assert.Contains("This page comes from the hello-page ConfigMap in Git.", page, StringComparison.Ordinal);

        // A second commit changes the ConfigMap; what the Service serves follows it.
        Env.WriteAppFile("configmap.yaml", Env.ReadAppFile("configmap.yaml").Replace("Hello from GitOrch", "Hello from the second commit", StringComparison.Ordinal));
        var second = Env.CommitAndPush("hello: new heading");
        Assert.Equal(second, Env.SyncSource().ThrowOnError().Output.Single().Properties["LastAppliedCommit"].Value);
        page = await Env.WaitPageAsync(address, HelloPorts.Service, "<h1>Hello from the second commit</h1>");
        Assert.DoesNotContain(HelloPorts.FirstHeading, page, StringComparison.Ordinal);
        Assert.Single(await Env.WaitPodsRunningAsync("app=hello", 1));
    });
}
