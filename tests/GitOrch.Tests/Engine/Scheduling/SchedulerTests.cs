using GitOrch.Api.Model;
using GitOrch.Engine.Scheduling;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Controllers;
using Xunit;

namespace GitOrch.Tests.Engine.Scheduling;

/// <summary>The scheduler as the Engine runs it: real store, informers, binder.</summary>
public sealed class SchedulerTests : IAsyncLifetime
{
    private readonly ControlPlane _cp = new(o => o.EnableNodeLifecycle = false, agent: false);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cp.DisposeAsync();

    private static Pod NewPod(string name, string? memory = null, string? cpu = null)
    {
        var requests = new Dictionary<string, Quantity>();
        if (memory != null)
        {
            requests["memory"] = Quantity.Parse(memory);
        }

        if (cpu != null)
        {
            requests["cpu"] = Quantity.Parse(cpu);
        }

        return new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = new() { ["app"] = "s" } },
            Spec = new PodSpec { Containers = { new Container { Name = "c", Image = "busybox", Resources = new ResourceRequirements { Requests = requests } } } },
        };
    }

    [Fact]
    public async Task Unschedulable_pod_gets_a_condition_and_an_event_counting_reasons_then_binds_when_a_node_fits()
    {
        var dbTaint = new List<Taint> { new() { Key = "dedicated", Value = "db", Effect = "NoSchedule" } };
        for (var i = 0; i < 3; i++)
        {
            await _cp.AddNodeAsync("small-" + i, memory: "512Mi");
        }

        await _cp.AddNodeAsync("db-0", taints: dbTaint);
        await _cp.AddNodeAsync("db-1", taints: dbTaint);
        await _cp.StartAsync();
        await _cp.Store.CreateAsync(NewPod("big", memory: "1Gi"));

        const string expected = "0/5 nodes are available: 3 Insufficient memory, 2 node(s) had untolerated taint {dedicated: db}.";
        var pod = await Eventually.Until(
            () => _cp.Store.Get<Pod>("default", "big")!,
            p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true,
            TimeSpan.FromSeconds(10), "PodScheduled=False");
        var condition = pod.Status!.Conditions!.Single(c => c.Type == "PodScheduled");
        Assert.Equal("Unschedulable", condition.Reason);
        Assert.Equal(expected, condition.Message);
        await _cp.FlushEventsAsync();
        var ev = Assert.Single(_cp.Events("FailedScheduling", "big"));
        Assert.Equal(expected, ev.Message);
        Assert.Equal("Warning", ev.Type);

        // Parked, not hot-looping: nothing changes, so (almost) no further attempts.
        var attempts = _cp.Scheduler.Metrics.Attempts;
        await Task.Delay(500);
        Assert.True(_cp.Scheduler.Metrics.Attempts - attempts <= 1, $"{_cp.Scheduler.Metrics.Attempts - attempts} attempts while nothing changed");

        await _cp.AddNodeAsync("large", memory: "4Gi");
        var bound = await Eventually.Until(() => _cp.Store.Get<Pod>("default", "big")!, p => p.Spec!.NodeName != null, TimeSpan.FromSeconds(10), "bound after a node was added");
        Assert.Equal("large", bound.Spec!.NodeName);
        Assert.Equal("True", bound.Status!.Conditions!.Single(c => c.Type == "PodScheduled").Status);
        await _cp.FlushEventsAsync();
        Assert.Contains(_cp.Events("Scheduled", "big"), e => e.Message == "Successfully assigned default/big to large");
    }

    [Fact]
    public async Task Requests_are_accounted_across_pods_scheduled_in_one_burst()
    {
        await _cp.AddNodeAsync("a", cpu: "4");
        await _cp.AddNodeAsync("b", cpu: "4");
        await _cp.StartAsync();
        var writes = Enumerable.Range(0, 10).Select(i => new GitOrch.Engine.Store.StoreWrite(GitOrch.Engine.Store.StoreVerb.Create, NewPod("p-" + i, cpu: "1"))).ToList();
        await _cp.Store.CommitAsync(writes);

        var pods = await Eventually.Until(() => _cp.Pods("app=s"), l => l.Count(p => p.Spec!.NodeName != null) == 8 && l.Count(p => p.Status?.Conditions != null) == 2, TimeSpan.FromSeconds(10), "8 bound, 2 unschedulable");
        Assert.Equal(4, pods.Count(p => p.Spec!.NodeName == "a"));
        Assert.Equal(4, pods.Count(p => p.Spec!.NodeName == "b"));

        // Freeing capacity retries the parked Pods.
        await _cp.Store.DeleteAsync(ResourceKinds.Pod, "default", pods.First(p => p.Spec!.NodeName == "a").Metadata.Name!);
        await Eventually.True(() => _cp.Pods("app=s").Count(p => p.Spec!.NodeName != null) == 8 && _cp.Pods("app=s").Count == 9, TimeSpan.FromSeconds(10), "a parked pod took the freed slot");
    }

    [Fact]
    public async Task Many_pods_are_bound_and_every_binding_is_persisted()
    {
        for (var i = 0; i < 20; i++)
        {
            await _cp.AddNodeAsync("n-" + i, cpu: "64", memory: "256Gi");
        }

        await _cp.Store.CommitAsync(Enumerable.Range(0, 1000).Select(i => new GitOrch.Engine.Store.StoreWrite(GitOrch.Engine.Store.StoreVerb.Create, NewPod("bulk-" + i))).ToList());
        await _cp.StartAsync();

        await Eventually.True(() => _cp.Scheduler.Metrics.Bound == 1000, TimeSpan.FromSeconds(30), "1000 bindings written");
        var pods = _cp.Pods("app=s");
        Assert.All(pods, p => Assert.False(string.IsNullOrEmpty(p.Spec!.NodeName)));
        var spread = string.Join(",", pods.GroupBy(p => p.Spec!.NodeName).Select(g => g.Count()));
        Assert.True(pods.GroupBy(p => p.Spec!.NodeName).All(g => g.Count() is >= 40 and <= 60), spread);
    }

    [Fact]
    public async Task Binding_helper_refuses_a_pod_that_is_already_bound()
    {
        await _cp.AddNodeAsync("x");
        await _cp.Store.CreateAsync(NewPod("manual"));
        var bound = await PodBinding.BindAsync(_cp.Store, new PodBindingRequest("default", "manual", "x"));
        Assert.Equal("x", bound.Spec!.NodeName);
        var e = await Assert.ThrowsAsync<GitOrch.Engine.Store.StoreException>(() => PodBinding.BindAsync(_cp.Store, new PodBindingRequest("default", "manual", "y")));
        Assert.Equal(409, e.Code);
    }
}
