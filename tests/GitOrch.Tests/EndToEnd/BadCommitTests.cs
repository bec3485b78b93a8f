using System.Text.RegularExpressions;
using GitOrch.Tests.Infrastructure.EndToEnd;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;

namespace GitOrch.Tests.EndToEnd;

/// <summary>
/// A broken commit on the tracked branch must not take the service down: nothing of it is applied, the source says
/// what is wrong and where, and the running Pods and the page stay exactly as the last good commit left them.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class BadCommitTests : EndToEndTest
{
    [Fact]
    public Task A_commit_with_broken_YAML_and_an_invalid_object_is_refused_with_file_and_line_and_the_service_stays_up() => Env.RunStoryAsync(async () =>
    {
        var node = Env.NewNodeName("badcommit");
        var address = NodeAddresses.Next();
        await Env.StartEngineAsync(Path.Combine(Env.Root, "data"), address, node);
        var good = await Env.DeployHelloAsync(address);
        var podsBefore = Env.Pods("app=hello");
        var containersBefore = await NodeContainers.ListAsync(node);
        Assert.Single(containersBefore);

        // One commit: a new page (which must NOT go live), a file that is not YAML, and a Deployment whose selector
        // does not match its template. Both bad files are reported: one does not hide the other.
        Env.WriteAppFile("configmap.yaml", Env.ReadAppFile("configmap.yaml").Replace("Hello from GitOrch", "Hello from a broken commit", StringComparison.Ordinal));
        Env.WriteAppFile("broken.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: broken
            data:
              key: [unclosed
            """);
        Env.WriteAppFile("invalid.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: invalid
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: one
              template:
                metadata:
                  labels:
                    app: another
                spec:
                  containers:
                    - name: main
                      image: gitorch-test/busybox:latest
            """);
        var bad = Env.CommitAndPush("broken manifests");

        var sync = Env.SyncSource();
        Assert.Equal("SyncFailed,GitOrch.Module.Cmdlets.Sources.SyncGitOrchSourceCommand", Assert.Single(sync.AllErrors).FullyQualifiedErrorId);
        var source = Env.Source();
        Assert.Equal("False", source.Properties["Ready"].Value);
        Assert.Equal("ValidationFailed", source.Properties["Reason"].Value);
        Assert.Equal(good, source.Properties["LastAppliedCommit"].Value);
        Assert.Equal(bad, source.Properties["LastFetchedCommit"].Value);
        var message = (string)source.Properties["Message"].Value;
        Assert.Matches(new Regex(@"hello/broken\.yaml:\d+: "), message);
        Assert.Matches(new Regex(@"hello/invalid\.yaml(:\d+)?: .*selector", RegexOptions.IgnoreCase), message);

        // The service still answers, with the previous page, from the very same Pod and container.
        for (var i = 0; i < 5; i++)
        {
            var page = await ServiceHttp.GetAsync(address, HelloPorts.Service);
            Assert.Contains(HelloPorts.FirstHeading, page, StringComparison.Ordinal);
        }

        Assert.Equal(podsBefore, await Env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Equal(containersBefore.Select(c => c.Id), (await NodeContainers.ListAsync(node)).Select(c => c.Id));
        Assert.Empty(Env.Run("Get-Deployment invalid -ErrorAction SilentlyContinue").Output);
    });
}
