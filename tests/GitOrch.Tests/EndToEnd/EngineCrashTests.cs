using GitOrch.Tests.EndToEnd.Infrastructure;
using GitOrch.Tests.Module;
using Xunit;

namespace GitOrch.Tests.EndToEnd;

/// <summary>
/// The all-in-one engine (<c>gitorch server --with-agent</c>) killed with SIGKILL while clients write, then started
/// again on the same data directory: every acknowledged write and the GitSource/Deployment are still there, and its
/// agent adopts the containers it left running instead of starting a second copy.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class EngineCrashTests : IAsyncLifetime
{
    private EndToEndEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await EndToEndEnvironment.StartAsync();

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public Task An_engine_killed_mid_writes_restarts_on_its_data_and_adopts_its_containers_without_duplicates() => _env.RunStoryAsync(async () =>
    {
        var node = _env.NewNodeName("engine-kill");
        var address = NodeAddresses.Next();
        var dataDir = Path.Combine(_env.Root, "data");
        var engine = await _env.StartEngineAsync(dataDir, address, node);
        var main = await _env.DeployHelloAsync(address);
        var podsBefore = _env.Pods("app=hello");
        var deploymentUid = DeploymentUid();
        var containersBefore = await NodeContainers.ListAsync(node);
        Assert.Equal("running", Assert.Single(containersBefore).State);

        // SIGKILL while four clients are creating objects as fast as the engine answers.
        IReadOnlyCollection<string> acknowledged;
        await using (var load = new WriteLoad(engine.BaseUrl, engine.AdminToken, "inflight"))
        {
            await load.WaitAcknowledgedAsync(40, EndToEndEnvironment.Deadline);
            engine.Kill();
            acknowledged = await load.StopAsync();
        }

        // Nobody manages the container now, and it keeps serving on its hostPort: a control plane crash is not an outage.
        Assert.Contains(HelloPorts.FirstHeading, await ServiceHttp.GetAsync(address, HelloPorts.Container), StringComparison.Ordinal);

        await _env.StartEngineAsync(dataDir, address, node);
        var source = _env.Source();
        Assert.Equal("True", source.Properties["Ready"].Value);
        Assert.Equal(main, source.Properties["LastAppliedCommit"].Value);
        Assert.Equal(deploymentUid, DeploymentUid());
        var stored = _env.Run("Get-GitOrchObject -Kind ConfigMap | ForEach-Object Name").Output.Select(o => o.ToString()).ToHashSet(StringComparer.Ordinal);
        var lost = acknowledged.Where(name => !stored.Contains(name)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes lost: {string.Join(", ", lost.Take(20))}");

        // The same Pods (names and uids) run again, on the same containers: adopted, not recreated, no duplicates.
        Assert.Equal(podsBefore, await _env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Equal(containersBefore, await NodeContainers.ListAsync(node));
        await _env.WaitPageAsync(address, HelloPorts.Service, HelloPorts.FirstHeading);

        // A reconcile of the source after the restart changes nothing that runs either.
        Assert.Equal(main, _env.SyncSource().ThrowOnError().Output.Single().Properties["LastAppliedCommit"].Value);
        Assert.Equal(podsBefore, await _env.WaitPodsRunningAsync("app=hello", 1));
        Assert.Equal(containersBefore, await NodeContainers.ListAsync(node));
    });

    private string DeploymentUid() => _env.Run("Get-Deployment hello | ForEach-Object { $_.Object.Metadata.Uid }").Output.Single().ToString();
}
