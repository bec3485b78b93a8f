using System.Collections;
using GitOrch.Tests.Infrastructure.EndToEnd;
using GitOrch.Tests.Infrastructure.Module;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.EndToEnd;

/// <summary>
/// A pull request's preview: with previews enabled, a PR ref pushed to the git server is planned
/// (Compare-GitOrchSource), deployed into its own namespace where its Pods run and serve the PR's page while
/// production keeps its own, and when the ref goes away (PR closed or merged) the namespace and its Pods go too.
/// Two nodes: hello's hostPort keeps the preview's Pod off the node production runs on.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class PreviewTests : EndToEndTest
{
    private const string PullRef = "refs/pull/7/head";
    private const string PreviewNamespace = "hello-pr-7";

    [Fact]
    public Task A_pull_request_ref_is_planned_previewed_in_its_own_namespace_and_removed_with_its_Pods_when_the_ref_goes() => Env.RunStoryAsync(async () =>
    {
        var nodeA = Env.NewNodeName("preview-a");
        var nodeB = Env.NewNodeName("preview-b");
        var addressA = NodeAddresses.Next();
        var addressB = NodeAddresses.Next();
        var engine = await Env.StartEngineAsync(Path.Combine(Env.Root, "data"), addressA, nodeA);
        await Env.StartAgentAsync(engine, nodeB, addressB);
        await Poll.UntilAsync(() => Env.Run("Get-Node | ForEach-Object { $_.Name + ' ' + $_.Status }").Output.Select(o => o.ToString()).ToList(), nodes => nodes.Count == 2 && nodes.All(n => n.EndsWith(" Ready", StringComparison.Ordinal)), EndToEndEnvironment.Deadline, "two Ready nodes");
        var main = await Env.DeployHelloAsync(addressA);
        var production = Assert.Single(Env.Pods("app=hello"));

        Env.Run("Set-GitOrchSource hello -EnablePreviews");
        Assert.True((bool)Env.Source().Properties["PreviewsEnabled"].Value);

        // The pull request: a branch with a new page, pushed to the git server as GitHub exposes PRs.
        Env.Repo.Checkout("feature", create: true);
        Env.WriteAppFile("configmap.yaml", Env.ReadAppFile("configmap.yaml").Replace("Hello from GitOrch", "Hello from pull request 7", StringComparison.Ordinal));
        var prCommit = Env.CommitAndPush("a new heading", pushTo: PullRef);

        // What merging it would change: only the page.
        var plan = Env.Run("Compare-GitOrchSource hello -Ref $ref", new Hashtable { ["ref"] = PullRef }).Output;
        var change = Assert.Single(plan);
        Assert.Equal("Update", change.Properties["Action"].Value);
        Assert.Equal("ConfigMap", change.Properties["Kind"].Value);
        Assert.Equal("hello-page", change.Properties["Name"].Value);
        Assert.Equal(prCommit, change.Properties["Commit"].Value);
        Assert.Contains("Hello from pull request 7", (string)change.Properties["Diff"].Value, StringComparison.Ordinal);

        // The preview: its own namespace, its Pod running (on the other node), serving the PR's page.
        Env.SyncSource().ThrowOnError();
        var preview = Assert.Single(Env.Run("Get-GitOrchPreview hello").Output);
        Assert.Equal(7, preview.Properties["Number"].Value);
        Assert.Equal(PreviewNamespace, preview.Properties["Namespace"].Value);
        Assert.Equal(prCommit, preview.Properties["Commit"].Value);
        Assert.Equal("Ready", preview.Properties["State"].Value);
        var previewPod = Assert.Single(await Env.WaitPodsRunningAsync("app=hello", 1, PreviewNamespace));
        Assert.NotEqual(production.Node, previewPod.Node);
        var previewPage = await Env.WaitPageAsync(previewPod.IP, HelloPorts.Container, "<h1>Hello from pull request 7</h1>");
        Assert.DoesNotContain(HelloPorts.FirstHeading, previewPage, StringComparison.Ordinal);

        // Production is untouched: same Pod, same commit, same page through its Service.
        Assert.Equal(new[] { production }, await Env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Equal(main, Env.Source().Properties["LastAppliedCommit"].Value);
        Assert.Contains(HelloPorts.FirstHeading, await ServiceHttp.GetAsync(addressA, HelloPorts.Service), StringComparison.Ordinal);

        // The PR is closed: its ref disappears from the git server, and so does the preview with everything in it.
        Env.Repo.Checkout("main");
        Git.Run(Env.Repo.WorkPath, "push", "-q", "origin", "--delete", PullRef);
        Env.SyncSource().ThrowOnError();
        Assert.Empty(Env.Run("Get-GitOrchPreview hello").Output);
        await Poll.UntilAsync(() => Namespaces(), names => !names.Contains(PreviewNamespace), EndToEndEnvironment.Deadline, $"namespace {PreviewNamespace} to be deleted");
        await Poll.UntilAsync(() => Env.Pods("app=hello", PreviewNamespace), pods => pods.Count == 0, EndToEndEnvironment.Deadline, $"the Pods of {PreviewNamespace} to go away");
        await Poll.UntilAsync(
            async () => (await NodeContainers.ListAsync(nodeA)).Concat(await NodeContainers.ListAsync(nodeB)).ToList(),
            containers => containers.All(c => c.PodNamespace != PreviewNamespace),
            EndToEndEnvironment.Deadline,
            $"the containers of {PreviewNamespace} to be removed");
        Assert.Equal(new[] { production }, await Env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Contains(HelloPorts.FirstHeading, await ServiceHttp.GetAsync(addressA, HelloPorts.Service), StringComparison.Ordinal);
    });

    private List<string> Namespaces() => Env.Run("Get-GitOrchObject -Kind Namespace | ForEach-Object Name").Output.Select(o => o.ToString()).ToList();
}
