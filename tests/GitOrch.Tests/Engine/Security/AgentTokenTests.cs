using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Security;

/// <summary>The agent token can do what a node agent needs and nothing else; tokens live in 0600 files.</summary>
public sealed class AgentTokenTests : IAsyncLifetime
{
    private TestEngine _engine = null!;
    private GitOrchClient _agent = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _agent = _engine.CreateClient(_engine.AgentToken);
    }

    public async Task DisposeAsync()
    {
        _agent.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Agent_registers_and_heartbeats_its_node()
    {
        var node = await _agent.CreateAsync(Objects.Node("worker-1"));
        node.Metadata.Labels = new() { ["gitorch.io/agent"] = "true" };
        node = await _agent.ReplaceAsync(node);
        node.Status = new NodeStatus { Conditions = [new Condition { Type = "Ready", Status = "True" }] };
        var withStatus = await _agent.ReplaceStatusAsync(node);
        Assert.Equal("True", withStatus.Status!.Conditions![0].Status);
        await _agent.PatchStatusAsync<Node>(null, "worker-1", """{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""");
    }

    [Fact]
    public async Task Agent_reads_what_pods_need_and_writes_pod_status_and_events()
    {
        await _engine.Client.CreateAsync(Objects.Pod("p", nodeName: "worker-1"));
        await _engine.Client.CreateAsync(Objects.ConfigMap("cm"));
        await _engine.Client.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "s", Namespace = "default" } });

        Assert.Single((await _agent.ListAsync<Pod>(null, fieldSelector: "spec.nodeName=worker-1")).Items);
        await _agent.GetAsync<ConfigMap>("default", "cm");
        await _agent.GetAsync<Secret>("default", "s");
        await _agent.ListAsync<Service>(null);
        await _agent.ListAsync<Endpoints>(null);

        var pod = await _agent.GetAsync<Pod>("default", "p");
        pod.Status = new PodStatus { Phase = "Running" };
        await _agent.ReplaceStatusAsync(pod);
        await _agent.CreateAsync(new Event
        {
            Metadata = new ObjectMeta { Name = "p.started", Namespace = "default" },
            InvolvedObject = new ObjectReference { Kind = "Pod", Name = "p", Namespace = "default" },
            Reason = "Started",
            Type = "Normal",
        });
        Assert.Equal("Running", _engine.Store.Get<Pod>("default", "p")!.Status!.Phase);
    }

    [Fact]
    public async Task Agent_cannot_change_workloads_pods_specs_or_secrets()
    {
        await _engine.Client.CreateAsync(Objects.Pod("p"));
        await _engine.Client.CreateAsync(Objects.ConfigMap("cm"));
        var attempts = new Func<Task>[]
        {
            () => _agent.CreateAsync(Objects.Deployment("web")),
            () => _agent.CreateAsync(Objects.Pod("mine")),
            () => _agent.PatchAsync<Pod>("default", "p", """{"metadata":{"labels":{"x":"y"}}}"""),
            () => _agent.DeleteAsync<Pod>("default", "p"),
            () => _agent.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods/p/binding", """{"metadata":{"name":"p"},"target":{"name":"n"}}"""),
            () => _agent.PatchAsync<ConfigMap>("default", "cm", """{"data":{"a":"b"}}"""),
            () => _agent.CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "s", Namespace = "default" } }),
            () => _agent.ListAsync<GitSource>(null),
            () => _agent.DeleteAsync<Node>(null, "any"),
        };
        foreach (var attempt in attempts)
        {
            var e = await Assert.ThrowsAsync<GitOrchApiException>(attempt);
            Assert.Equal(403, e.Code);
        }

        Assert.Null(_engine.Store.Get<Deployment>("default", "web"));
        Assert.Null(_engine.Store.Get<Pod>("default", "mine"));
        Assert.Null(_engine.Store.Get<Pod>("default", "p")!.Metadata.Labels);
    }

    [Fact]
    public void Token_files_are_private_and_hold_256_bit_tokens()
    {
        foreach (var file in new[] { "admin.token", "agent.token" })
        {
            var path = Path.Combine(_engine.DataDir, file);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            Assert.Equal(64, File.ReadAllText(path).Trim().Length);
        }

        Assert.NotEqual(_engine.AdminToken, _engine.AgentToken);
    }

    [Fact]
    public async Task Hooks_are_not_behind_bearer_auth()
    {
        using var anonymous = new RawHttp(_engine, null);
        var (code, _) = await anonymous.SendAsync("POST", "/hooks/git/default/none", "{}");
        Assert.NotEqual(401, code);
    }
}
