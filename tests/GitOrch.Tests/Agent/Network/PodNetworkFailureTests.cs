using GitOrch.Agent.Network;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Agent;
using GitOrch.Tests.Infrastructure.Network;
using Xunit;

namespace GitOrch.Tests.Agent.Network;

/// <summary>Bad input on the Pod network: a missing plugin, a failing plugin, an address left by a killed agent.</summary>
[Collection(AgentCollection.Name)]
[Trait("Requires", "Docker")]
public sealed class PodNetworkFailureTests : IAsyncLifetime
{
    private readonly PodNetworkTestSpace _space = new();
    private readonly TempDirectory _bin = new("gitorch-cni-bin");
    private AgentTestHarness _h = null!;

    public async Task InitializeAsync()
        => _h = await AgentTestHarness.StartAsync(startAgent: false, configureEngine: _space.ConfigureEngine);

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        _space.Dispose();
        _bin.Dispose();
    }

    /// <summary>A bin directory with the real plugins, where <c>bridge</c> fails with a CNI error while <paramref name="failWhile"/> exists.</summary>
    private string FlakyBridgeBinDir(string failWhile)
    {
        foreach (var plugin in new[] { "host-local", "portmap", "loopback" })
        {
            File.CreateSymbolicLink(Path.Combine(_bin.Path, plugin), Path.Combine(PodNetworkOptions.DefaultCniBinDir, plugin));
        }

        var bridge = Path.Combine(_bin.Path, "bridge");
        File.WriteAllText(bridge, $$"""
            #!/bin/sh
            if [ -e {{failWhile}} ]; then
              echo '{"cniVersion":"1.0.0","code":11,"msg":"test plugin refuses","details":"marker file present"}'
              exit 1
            fi
            exec {{PodNetworkOptions.DefaultCniBinDir}}/bridge
            """);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(bridge, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return _bin.Path;
    }

    [Fact]
    public async Task Missing_plugin_binary_is_named_at_agent_start()
    {
        var options = _space.WithPodNetwork(_h.Options(), configure: n => n with { CniBinDir = _bin.Path });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _h.StartAgentAsync(options));
        Assert.Contains("bridge", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_bin.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("containernetworking-plugins", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plugin_failure_leaves_the_pod_ContainerCreating_with_the_plugins_message_in_an_event_and_is_retried()
    {
        var marker = Path.Combine(_bin.Path, "..", Path.GetFileName(_bin.Path) + ".fail");
        File.WriteAllText(marker, "");
        try
        {
            var binDir = FlakyBridgeBinDir(marker);
            await _h.StartAgentAsync(_space.WithPodNetwork(_h.Options(), configure: n => n with { CniBinDir = binDir }));
            await _h.CreatePodAsync("flaky", AgentTestHarness.Busybox("main"));

            var waiting = await _h.WaitForPodAsync("flaky", p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Message?.Contains("test plugin refuses", StringComparison.Ordinal) == true, "waiting with the plugin's message");
            Assert.Equal("ContainerCreating", AgentTestHarness.Status(waiting).State!.Waiting!.Reason);
            Assert.Equal("Pending", waiting.Status!.Phase);
            var ev = await Eventually.UntilAsync(() => _h.EventsOfAsync("flaky"), es => es.Any(e => e.Reason == "FailedCreatePodSandBox"), TimeSpan.FromSeconds(10), "a FailedCreatePodSandBox event");
            Assert.Contains("test plugin refuses: marker file present", ev.First(e => e.Reason == "FailedCreatePodSandBox").Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(marker);
        }

        // The plugin recovers: the next retry networks the sandbox and the Pod runs with an address.
        var running = await _h.WaitForPodAsync("flaky", p => p.Status?.Phase == "Running" && p.Status.PodIP != null, "Running after the plugin recovered", TimeSpan.FromSeconds(40));
        Assert.StartsWith("10." + (128 + _space.Index) + ".", running.Status!.PodIP, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_left_by_an_agent_killed_mid_setup_is_released_at_the_next_start()
    {
        var options = _space.WithPodNetwork(_h.Options());
        var agent = await _h.StartAgentAsync(options);
        await _h.CreatePodAsync("kept", AgentTestHarness.Busybox("main"));
        var kept = await _h.WaitForPodAsync("kept", p => p.Status?.PodIP != null && p.Status.Phase == "Running", "Running");
        await _h.StopAgentAsync(agent);

        // What an agent killed between host-local's reservation and its own record leaves: an address held by a
        // sandbox that never came to be.
        var store = Path.Combine(options.DataDir, "cni", "ipam", options.PodNetwork!.NetworkName);
        var leaked = Path.Combine(store, kept.Status!.PodIP![..kept.Status.PodIP!.LastIndexOf('.')] + ".200");
        File.WriteAllText(leaked, "0123456789abcdef-never-started\r\neth0");

        await _h.StartAgentAsync(options);
        Assert.False(File.Exists(leaked), "the orphaned reservation was released");
        Assert.True(File.Exists(Path.Combine(store, kept.Status.PodIP!)), "the running Pod keeps its address");
        var adopted = await _h.WaitForPodAsync("kept", p => p.Status?.PodIP == kept.Status.PodIP && p.Status.Phase == "Running", "adopted with the same address");
        Assert.Equal(kept.Status.ContainerStatuses![0].ContainerID, adopted.Status!.ContainerStatuses![0].ContainerID);
    }
}
