using System.Collections;
using GitOrch.Agent;
using GitOrch.Agent.Hosting;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Module;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Module;

/// <summary>
/// The issue's whole story from PowerShell, on a live Engine (controllers, scheduler, source controller), a real
/// agent running Docker containers and a real Git repository: a source is synced and its Pods run; New-Deployment
/// proposes on a branch; the test merges it with git; the Deployment appears and runs; Undo-Deployment reverts it
/// through Git and it goes away.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Docker")]
[Trait("Requires", "Git")]
public sealed class WholeStoryTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly PowerShellSession _ps = new();
    private readonly TempDirectory _dir = new("gitorch-ps-story");
    private readonly string _node = DockerTestEnvironment.NewTestId("psnode");
    private TestEngine _engine = null!;
    private AgentHost? _agent;
    private TestRepo _repo = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync(startComponents: true);
        _agent = await AgentHost.StartAsync(new AgentOptions
        {
            Server = _engine.BaseUrl,
            Token = _engine.AgentToken,
            Ca = _engine.Ca,
            NodeName = _node,
            NodeIP = "127.0.0.50",
            DataDir = Path.Combine(_dir.Path, "agent"),
            ResyncInterval = TimeSpan.FromSeconds(3),
            HeartbeatInterval = TimeSpan.FromSeconds(1),
        });
        _ps.UseEngine(_engine);
        _repo = new TestRepo(_dir.Path);
        _repo.Write("deploy/hello.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: hello
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: hello
              template:
                metadata:
                  labels:
                    app: hello
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: main
                    image: gitorch-test/busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: ["sleep", "3600"]
            """);
        _repo.Commit("hello");
    }

    public async Task DisposeAsync()
    {
        _ps.Dispose();
        if (_agent != null)
        {
            await _agent.DisposeAsync();
        }

        await _engine.DisposeAsync();
        using (var docker = DockerTestEnvironment.CreateClient())
        {
            await DockerTestEnvironment.RemoveContainersByLabelAsync(docker, AgentLabels.NodeName, _node);
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Source_to_running_pods_then_a_Deployment_proposed_merged_run_and_reverted_through_Git()
    {
        _ps.Run("Set-GitOrchSource app -Url $url -Branch main -Path deploy -Interval 01:00:00", new Hashtable { ["url"] = _repo.FileUrl }).ThrowOnError();
        _ps.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30").ThrowOnError();
        await RunningPodsAsync("hello", 2);
        var node = _ps.Run("Get-Node").ThrowOnError().Output.Single();
        Assert.Equal(_node, node.Properties["Name"].Value);
        Assert.Equal("Ready", node.Properties["Status"].Value);

        var proposal = _ps.Run("New-Deployment api -Image 127.0.0.1:5000/gitorch-test/busybox:latest -Command sleep, 3600 -Replicas 1").ThrowOnError().Output.Single();
        var branch = (string)proposal.Properties["Branch"].Value;
        Assert.Equal(proposal.Properties["Commit"].Value, _repo.RemoteSha("refs/heads/" + branch));

        Git.Run(_repo.WorkPath, "fetch", "-q", "origin");
        Git.Run(_repo.WorkPath, "merge", "-q", "--ff-only", "origin/" + branch);
        Git.Run(_repo.WorkPath, "push", "-q", "origin", "main");
        _ps.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30").ThrowOnError();
        await RunningPodsAsync("api", 1);
        _ps.Run("Wait-Deployment api -Timeout 00:01:00").ThrowOnError();
        Assert.Equal("1/1", _ps.Run("Get-Deployment api").ThrowOnError().Output.Single().Properties["Ready"].Value);

        var revert = _ps.Run("Get-Deployment api | Undo-Deployment").ThrowOnError().Output.Single();
        Assert.Equal(revert.Properties["Commit"].Value, _repo.RemoteSha("refs/heads/main"));
        _ps.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30").ThrowOnError();
        await Eventually.True(() => !_ps.Run("Get-Pod -Selector app=api").ThrowOnError().Output.Any(), Deadline, "the api Pods to go away after the revert");
        Assert.Equal(2, _ps.Run("Get-Pod -Selector app=hello").ThrowOnError().Output.Count);
    }

    [Fact]
    public async Task Get_PodLog_reads_the_tail_and_Follow_streams_until_stopped()
    {
        await _engine.Client.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "talker", Namespace = "default", Labels = new() { ["app"] = "talker" } },
            Spec = new PodSpec
            {
                NodeName = _node,
                TerminationGracePeriodSeconds = 1,
                Containers = new()
                {
                    new Container
                    {
                        Name = "main",
                        Image = DockerTestEnvironment.TestImage,
                        ImagePullPolicy = "IfNotPresent",
                        Command = new() { "sh", "-c", "echo one; echo two; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done" },
                    },
                },
            },
        });
        await RunningPodsAsync("talker", 1);
        await Eventually.True(() => _ps.Run("Get-PodLog talker").Output.Count >= 3, Deadline, "log lines");

        var all = _ps.Run("Get-PodLog talker").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        Assert.Equal(new[] { "one", "two" }, all.Take(2));
        var tail = _ps.Run("Get-PodLog talker -Tail 1").ThrowOnError().Output.Select(o => o.ToString()).ToList();
        Assert.StartsWith("tick ", Assert.Single(tail));

        // -Follow keeps delivering new lines while the container writes them, until the pipeline is stopped (Ctrl+C).
        using var follow = _ps.Start("Get-PodLog talker -Follow -Tail 1");
        await Eventually.True(() => follow.Output.Count >= 3, Deadline, "followed lines");
        Assert.False(follow.IsCompleted);
        var seen = follow.Output.Select(o => o.ToString()).ToList();
        Assert.All(seen, l => Assert.StartsWith("tick ", l));
        Assert.True(seen.Distinct().Count() == seen.Count, "lines repeat: " + string.Join(",", seen));
        await Task.Run(() => follow.Stop());
        Assert.True(follow.IsCompleted);

        var missing = _ps.Run("Get-PodLog nope");
        Assert.Equal("PodNotFound,GitOrch.Module.Cmdlets.Pods.GetPodLogCommand", Assert.Single(missing.AllErrors).FullyQualifiedErrorId);
    }

    private Task RunningPodsAsync(string app, int count)
        => Eventually.Until(
            () => _ps.Run("Get-Pod -Selector $sel", new Hashtable { ["sel"] = "app=" + app }).ThrowOnError().Output.Select(p => $"{p.Properties["Name"].Value} {p.Properties["Status"].Value} {p.Properties["Ready"].Value}").ToList(),
            pods => pods.Count(p => p.EndsWith(" Running 1/1", StringComparison.Ordinal)) == count,
            Deadline,
            $"{count} Running {app} Pods");
}
