using System.Collections;
using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Examples;
using GitOrch.Tests.Infrastructure.Module;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Examples;

/// <summary>
/// Runs examples/pull-request-flow.ps1 unchanged, as a person would, in the hosted runspace (which, unlike pwsh,
/// has no Microsoft.PowerShell.Utility) against an Engine with a real agent and a real Git repository, and checks
/// what happened in the world: the preview namespace ran the proposed image, the Deployment ran it after the merge,
/// and the old image again after Undo-Deployment, with the Git history to match.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class PullRequestFlowTests : IAsyncLifetime
{
    private const string OldImage = DockerTestEnvironment.TestImage;
    private const string NewImage = DockerTestEnvironment.OpenRegistry + "/" + DockerTestEnvironment.TestImage;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private ExampleCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ExampleCluster.StartAsync("127.0.4.10");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>A person's own GitSource "app" and their clone of its repository, as the script's -Repository mode expects.</summary>
    private async Task SeedAsync()
    {
        _cluster.Repo.Write("deploy/web.yaml", """
            # The web Deployment; its image is what the pull request changes.
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: gitorch-test/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: ["sleep", "3600"]
            """);
        _cluster.Repo.Commit("web");
        _cluster.Run("Set-GitOrchSource app -Url $url -Branch main -Path deploy -Interval 01:00:00", new Hashtable { ["url"] = _cluster.Repo.FileUrl });
        _cluster.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30");
        await Eventually.True(() => RunningImages("default").Count(i => i == OldImage) == 2, Deadline, "2 web Pods running " + OldImage);
    }

    [Fact]
    public async Task The_walkthrough_previews_merges_rolls_out_and_rolls_back_the_image()
    {
        await SeedAsync();
        var script = Path.Combine(PowerShellSession.RepoRoot, "examples", "pull-request-flow.ps1");
        var mainBefore = _cluster.Repo.RemoteSha("refs/heads/main");
        RunResult run;
        await using (var observer = new RunningPodObserver(_cluster.Engine.Store))
        {
            run = await Task.Run(() => _cluster.PowerShell.Run(
                "& $script -Source app -Deployment web -Repository $repo -Image $image -PullRequest 7 -Timeout 00:02:00",
                new Hashtable { ["script"] = script, ["repo"] = _cluster.Repo.WorkPath, ["image"] = NewImage }));
            run.ThrowOnError();

            // What the test saw for itself while the script ran.
            Assert.True(observer.Saw("app-pr-7", NewImage), "no ready preview Pod ran the new image; seen: " + observer);
            Assert.False(observer.Saw("app-pr-7", OldImage), "a preview Pod ran the old image; seen: " + observer);
            Assert.True(observer.Saw("default", NewImage), "no ready web Pod ran the new image after the merge; seen: " + observer);
        }

        var result = Assert.Single(run.Output);
        Assert.Equal(OldImage, Prop<string>(result, "OldImage"));

        // 1. The proposal: a commit on a new branch of the server repository that changes the image.
        var change = Prop<PSObject>(result, "Change");
        var branch = Prop<string>(change, "Branch");
        var proposal = Prop<string>(change, "Commit");
        Assert.StartsWith("gitorch/", branch, StringComparison.Ordinal);
        Assert.Equal(proposal, _cluster.Repo.RemoteSha("refs/heads/" + branch));
        Assert.Equal(mainBefore, _cluster.Repo.RemoteSha(proposal + "^"));
        Assert.Contains(NewImage, _cluster.Repo.RemoteFile(proposal, "deploy/web.yaml"), StringComparison.Ordinal);

        // 2. The plan named exactly that change.
        var plan = Prop<object[]>(result, "Plan").Cast<PSObject>().ToList();
        var update = Assert.Single(plan);
        Assert.Equal("Update", Prop<string>(update, "Action"));
        Assert.Equal("Deployment", Prop<string>(update, "Kind"));
        Assert.Equal("web", Prop<string>(update, "Name"));

        // 3-4. The preview: namespace app-pr-7 at the proposal commit, Pods running the new image.
        var preview = Prop<PSObject>(result, "Preview");
        Assert.Equal("app-pr-7", Prop<string>(preview, "Namespace"));
        Assert.Equal("Ready", Prop<string>(preview, "State"));
        Assert.Equal(proposal, Prop<string>(preview, "Commit"));
        var previewPods = Pods(result, "PreviewPods");
        Assert.Equal(2, previewPods.Count);
        Assert.All(previewPods, p => Assert.Equal(("app-pr-7", "Running", NewImage), (Prop<string>(p, "Namespace"), Prop<string>(p, "Status"), Prop<string>(p, "Image"))));

        // 5-6. Merged (fast-forward), the pull request ref closed, the new image rolled out, the preview gone.
        Assert.All(Pods(result, "RolledOut"), p => Assert.Equal(("default", "Running", NewImage), (Prop<string>(p, "Namespace"), Prop<string>(p, "Status"), Prop<string>(p, "Image"))));
        Assert.Throws<InvalidOperationException>(() => _cluster.Repo.RemoteSha("refs/pull/7/head"));
        Assert.Null(_cluster.Engine.Store.Get<GitSource>("default", "app")!.Status?.Previews);

        // 7. Undo-Deployment reverted the merged commit on main; the old image runs again.
        var revert = Prop<PSObject>(result, "Revert");
        var revertCommit = Prop<string>(revert, "Commit");
        Assert.Equal(revertCommit, _cluster.Repo.RemoteSha("refs/heads/main"));
        Assert.Equal(proposal, _cluster.Repo.RemoteSha("refs/heads/main^"));
        Assert.Contains(OldImage, _cluster.Repo.RemoteFile("refs/heads/main", "deploy/web.yaml"), StringComparison.Ordinal);
        Assert.DoesNotContain(NewImage, _cluster.Repo.RemoteFile("refs/heads/main", "deploy/web.yaml"), StringComparison.Ordinal);
        Assert.Equal(2, Pods(result, "RolledBack").Count);
        Assert.All(Pods(result, "RolledBack"), p => Assert.Equal(OldImage, Prop<string>(p, "Image")));
        await Eventually.True(() => RunningImages("default").SequenceEqual(new[] { OldImage, OldImage }), Deadline, "exactly 2 web Pods running " + OldImage);
        Assert.Equal(OldImage, Assert.Single(_cluster.Engine.Store.Get<Deployment>("default", "web")!.Spec!.Template.Spec!.Containers).Image);

        // The clone the person ran it from is up to date, and previews are off again as they were.
        Assert.Equal(revertCommit, Git.Run(_cluster.Repo.WorkPath, "rev-parse", "HEAD"));
        Assert.NotEqual(true, _cluster.Engine.Store.Get<GitSource>("default", "app")!.Spec!.Previews?.Enabled);
        await Eventually.True(() => _cluster.Engine.Store.List<Pod>("app-pr-7").Count == 0, Deadline, "the preview's Pods to be deleted");
    }

    [Fact]
    public async Task Without_arguments_it_sets_up_its_own_demo_repository_and_source_first()
    {
        var script = Path.Combine(PowerShellSession.RepoRoot, "examples", "pull-request-flow.ps1");
        RunResult run;
        await using (var observer = new RunningPodObserver(_cluster.Engine.Store))
        {
            run = await Task.Run(() => _cluster.PowerShell.Run("& $script -PullRequest 3 -Timeout 00:02:00", new Hashtable { ["script"] = script }));
            var demo = run.Output.LastOrDefault()?.Properties["Repository"]?.Value as string;
            try
            {
                run.ThrowOnError();
                Assert.True(observer.Saw("default", OldImage), "the demo's web Pods never ran; seen: " + observer);
                Assert.True(observer.Saw("pr-demo-pr-3", NewImage), "no ready preview Pod ran the new image; seen: " + observer);
                Assert.True(observer.Saw("default", NewImage), "no ready web Pod ran the new image after the merge; seen: " + observer);
            }
            finally
            {
                if (demo != null && Path.GetFileName(Path.GetDirectoryName(demo))!.StartsWith("gitorch-pr-demo-", StringComparison.Ordinal))
                {
                    Directory.Delete(Path.GetDirectoryName(demo)!, recursive: true);
                }
            }
        }

        var result = Assert.Single(run.Output);
        Assert.Equal("pr-demo-pr-3", Prop<string>(Prop<PSObject>(result, "Preview"), "Namespace"));
        Assert.Equal("True", _cluster.Run("(Get-GitOrchSource pr-demo).Ready").Output.Single().ToString());
        await Eventually.True(() => RunningImages("default").SequenceEqual(new[] { OldImage, OldImage }), Deadline, "exactly 2 web Pods running " + OldImage + " again");
    }

    [Fact]
    public async Task A_preview_that_cannot_run_stops_the_walkthrough_with_the_reason_before_anything_is_merged()
    {
        // A Deployment holding a host port: on a single node its preview Pod can never be placed next to it.
        _cluster.Repo.Write("deploy/web.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: gitorch-test/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: ["sleep", "3600"]
                    ports:
                    - containerPort: 7070
                      hostPort: 7070
            """);
        var seeded = _cluster.Repo.Commit("web with a host port");
        _cluster.Run("Set-GitOrchSource app -Url $url -Branch main -Path deploy -Interval 01:00:00", new Hashtable { ["url"] = _cluster.Repo.FileUrl });
        _cluster.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30");
        await Eventually.True(() => RunningImages("default").Count == 1, Deadline, "the web Pod running");

        var script = Path.Combine(PowerShellSession.RepoRoot, "examples", "pull-request-flow.ps1");
        var run = await Task.Run(() => _cluster.PowerShell.Run(
            "& $script -Source app -Deployment web -Repository $repo -Image $image -PullRequest 4 -Timeout 00:00:10",
            new Hashtable { ["script"] = script, ["repo"] = _cluster.Repo.WorkPath, ["image"] = NewImage }));

        var error = Assert.Single(run.AllErrors).Exception.Message;
        Assert.Contains("waiting for the Pods of web in app-pr-4 to run " + NewImage, error, StringComparison.Ordinal);
        Assert.Contains("Pending", error, StringComparison.Ordinal);
        Assert.Contains("free ports", error, StringComparison.Ordinal);
        Assert.Equal(seeded, _cluster.Repo.RemoteSha("refs/heads/main"));
        Assert.Equal(new[] { OldImage }, RunningImages("default"));
    }

    private List<string> RunningImages(string ns) => _cluster.Engine.Store.List<Pod>(ns)
        .Where(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp == null && p.Status.ContainerStatuses?.All(s => s.Ready) == true)
        .Select(p => p.Spec!.Containers[0].Image ?? "")
        .ToList();

    private static List<PSObject> Pods(PSObject result, string name) => result.Properties[name].Value switch
    {
        object[] many => many.Cast<PSObject>().ToList(),
        PSObject one => new List<PSObject> { one },
        var other => throw new InvalidOperationException($"{name} is {other?.GetType().Name ?? "null"}"),
    };

    private static T Prop<T>(PSObject o, string name)
    {
        var value = o.Properties[name]?.Value ?? throw new InvalidOperationException($"no {name} in {o}");
        return value switch
        {
            T t => t,
            PSObject { BaseObject: T inner } => inner,
            _ when typeof(T) == typeof(PSObject) => (T)(object)PSObject.AsPSObject(value),
            _ => throw new InvalidOperationException($"{name} is a {value.GetType().Name}, not {typeof(T).Name}"),
        };
    }
}
