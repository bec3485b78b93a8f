using System.Text;
using GitOrch.Agent.Pods;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Model;
using Xunit;

namespace GitOrch.Tests.Agent;

/// <summary>The agent's pure rules, without Docker.</summary>
public sealed class AgentUnitTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(7, 300)]
    [InlineData(30, 300)]
    public void Restart_backoff_is_immediate_then_10s_doubling_to_5min(int step, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), RestartBackoff.Delay(step));

    [Fact]
    public void Restart_backoff_resets_after_10_minutes_of_running()
    {
        Assert.Equal(5, RestartBackoff.NextStep(4, TimeSpan.FromMinutes(9)));
        Assert.Equal(1, RestartBackoff.NextStep(4, TimeSpan.FromMinutes(10)));
    }

    [Theory]
    [InlineData("Always", 0, true)]
    [InlineData(null, 0, true)]
    [InlineData("OnFailure", 0, false)]
    [InlineData("OnFailure", 2, true)]
    [InlineData("Never", 2, false)]
    public void Restart_policy_decides_whether_an_exit_restarts(string? policy, long exitCode, bool restart)
        => Assert.Equal(restart, RestartBackoff.ShouldRestart(policy, exitCode));

    [Theory]
    [InlineData("busybox", "busybox", null, "docker.io", "Always")]
    [InlineData("busybox:1.36", "busybox", "1.36", "docker.io", "IfNotPresent")]
    [InlineData("127.0.0.1:5000/gitorch-test/busybox:latest", "127.0.0.1:5000/gitorch-test/busybox", "latest", "127.0.0.1:5000", "Always")]
    [InlineData("localhost:5000/app", "localhost:5000/app", null, "localhost:5000", "Always")]
    [InlineData("registry.example.com/team/app:v2", "registry.example.com/team/app", "v2", "registry.example.com", "IfNotPresent")]
    [InlineData("team/app:v2", "team/app", "v2", "docker.io", "IfNotPresent")]
    public void Image_references_split_like_docker_and_default_pull_policy_follows_the_tag(string image, string repo, string? tag, string registry, string policy)
    {
        var r = ImageReference.Parse(image);
        Assert.Equal(repo, r.Repository);
        Assert.Equal(tag, r.Tag);
        Assert.Equal(registry, r.Registry);
        Assert.Equal(policy, r.DefaultPullPolicy);
    }

    [Fact]
    public void Digest_pinned_images_default_to_IfNotPresent()
        => Assert.Equal("IfNotPresent", ImageReference.Parse("app@sha256:abc").DefaultPullPolicy);

    [Fact]
    public void Pull_secret_matches_registry_with_or_without_scheme_and_decodes_auth()
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pa:ss"));
        var json = $"{{\"auths\":{{\"https://127.0.0.1:5001/v2/\":{{\"auth\":\"{auth}\"}},\"other:1\":{{\"username\":\"x\",\"password\":\"y\"}}}}}}";
        var found = PullSecrets.Match(json, "127.0.0.1:5001");
        Assert.NotNull(found);
        Assert.Equal("user", found.Username);
        Assert.Equal("pa:ss", found.Password);
        Assert.Null(PullSecrets.Match(json, "127.0.0.1:5000"));
    }

    [Fact]
    public void Env_references_expand_earlier_variables_and_keep_unknown_ones()
    {
        var defined = new Dictionary<string, string> { ["A"] = "1" };
        Assert.Equal("1-$(B)-$(A)", EnvResolver.Expand("$(A)-$(B)-$$(A)", defined));
    }

    [Fact]
    public void Status_reports_CrashLoopBackOff_with_last_termination_and_Running_phase()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = "default", Uid = "u1" },
            Spec = new PodSpec { Containers = [new Container { Name = "main", Image = "img" }] },
        };
        var exited = new ContainerInstance
        {
            Id = "abc", PodUid = "u1", ContainerName = "main", IsInit = false, Attempt = 2, BackoffStep = 2, Image = "img",
            Running = false, ExitCode = 137, OomKilled = true,
            StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(5),
        };
        var status = PodStatusBuilder.Build(new PodStatusBuilder.Input
        {
            Pod = pod,
            Instances = [exited],
            Waiting = new Dictionary<string, ContainerWaiting> { [PodStatusBuilder.Key(false, "main")] = new("CrashLoopBackOff", "back-off 20s") },
            Probes = _ => (true, true),
            NodeIP = "127.0.0.10",
            Now = DateTimeOffset.UnixEpoch.AddSeconds(10),
            InitDone = true,
            InitFailed = false,
        });
        var c = Assert.Single(status.ContainerStatuses!);
        Assert.Equal("Running", status.Phase);
        Assert.Equal("CrashLoopBackOff", c.State!.Waiting!.Reason);
        Assert.Equal("OOMKilled", c.LastState!.Terminated!.Reason);
        Assert.Equal(2, c.RestartCount);
        Assert.False(c.Ready);
        Assert.Contains(status.Conditions!, x => x.Type == "Ready" && x.Status == "False");
        Assert.Equal("127.0.0.10", status.HostIP);
    }
}
