using GitOrch.Api.Model;
using GitOrch.Engine.Scheduling;
using GitOrch.Engine.Scheduling.Filters;
using GitOrch.Tests.Infrastructure.Controllers;
using Xunit;

namespace GitOrch.Tests.Engine.Scheduling;

/// <summary>Each filter and scorer proven on its own through the framework, without a store.</summary>
public sealed class FilterAndScoreTests
{
    private readonly SchedulingFramework _framework = new(new SchedulerOptions());

    private static NodeInfo Node(string name, string cpu = "4", string memory = "8Gi", Dictionary<string, string>? labels = null, List<Taint>? taints = null, int pods = 110, bool ready = true, bool cordoned = false)
    {
        var n = ControlPlane.NewNode(name, cpu, memory, labels, taints, pods, ready);
        n.Spec!.Unschedulable = cordoned ? true : null;
        return new NodeInfo(n, 110);
    }

    private static Pod Pod(string name, string? cpu = null, string? memory = null, Action<PodSpec>? edit = null, Dictionary<string, string>? labels = null, string? owner = null)
    {
        var requests = new Dictionary<string, Quantity>();
        if (cpu != null)
        {
            requests["cpu"] = Quantity.Parse(cpu);
        }

        if (memory != null)
        {
            requests["memory"] = Quantity.Parse(memory);
        }

        var pod = new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = name, Namespace = "default", Labels = labels, Uid = Guid.NewGuid().ToString(),
                OwnerReferences = owner == null ? null : new() { new OwnerReference { Kind = "ReplicaSet", Name = owner, Uid = owner, Controller = true } },
            },
            Spec = new PodSpec { Containers = { new Container { Name = "c", Image = "i", Resources = new ResourceRequirements { Requests = requests } } } },
        };
        edit?.Invoke(pod.Spec);
        return pod;
    }

    private NodeInfo? Place(Pod pod, IReadOnlyList<NodeInfo> nodes, out FitError? error)
        => _framework.Schedule(new PodInfo(pod), nodes, out error);

    [Fact]
    public void Not_ready_and_cordoned_nodes_are_filtered()
    {
        var nodes = new[] { Node("down", ready: false), Node("cordoned", cordoned: true), Node("ok") };
        Assert.Equal("ok", Place(Pod("p"), nodes, out _)!.Name);
        Assert.Null(Place(Pod("p"), nodes.Take(2).ToList(), out var error));
        Assert.Equal("0/2 nodes are available: 1 node(s) were not ready, 1 node(s) were unschedulable.", error!.Message);
    }

    [Fact]
    public void Pod_count_is_limited_by_allocatable_pods()
    {
        var node = Node("small", pods: 1);
        node.AddPod(new PodInfo(Pod("existing")));
        Assert.Null(Place(Pod("p"), new[] { node }, out var error));
        Assert.Equal("0/1 nodes are available: 1 Too many pods.", error!.Message);
    }

    [Fact]
    public void Cpu_and_memory_requests_are_accounted_incrementally()
    {
        var node = Node("n", cpu: "1", memory: "1Gi");
        var first = new PodInfo(Pod("a", cpu: "600m", memory: "256Mi"));
        Assert.NotNull(_framework.Schedule(first, new[] { node }, out _));
        node.AddPod(first);
        Assert.Equal(600, node.RequestedCpuMilli);

        Assert.Null(Place(Pod("b", cpu: "600m"), new[] { node }, out var error));
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu.", error!.Message);
        Assert.Null(Place(Pod("c", cpu: "500m", memory: "1Gi"), new[] { node }, out error));
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.", error!.Message);

        node.RemovePod(first.Key);
        Assert.NotNull(Place(Pod("b", cpu: "600m"), new[] { node }, out _));
    }

    [Fact]
    public void Node_selector_and_required_node_affinity_must_match()
    {
        var nodes = new[] { Node("ssd", labels: new() { ["disk"] = "ssd", ["zone"] = "a" }), Node("hdd", labels: new() { ["disk"] = "hdd", ["zone"] = "b" }) };
        Assert.Equal("ssd", Place(Pod("p", edit: s => s.NodeSelector = new() { ["disk"] = "ssd" }), nodes, out _)!.Name);

        var affinity = Pod("q", edit: s => s.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector
                {
                    NodeSelectorTerms = { new NodeSelectorTerm { MatchExpressions = new() { new LabelSelectorRequirement { Key = "zone", Operator = "In", Values = new() { "b" } } } } },
                },
            },
        });
        Assert.Equal("hdd", Place(affinity, nodes, out _)!.Name);

        Assert.Null(Place(Pod("r", edit: s => s.NodeSelector = new() { ["disk"] = "nvme" }), nodes, out var error));
        Assert.Equal("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.", error!.Message);
    }

    [Fact]
    public void Taints_need_tolerations()
    {
        var nodes = new[] { Node("db", taints: new() { new Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" } }) };
        Assert.Null(Place(Pod("p"), nodes, out var error));
        Assert.Equal("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: db}.", error!.Message);

        var tolerant = Pod("q", edit: s => s.Tolerations = new() { new Toleration { Key = "dedicated", Operator = "Equal", Value = "db", Effect = "NoSchedule" } });
        Assert.Equal("db", Place(tolerant, nodes, out _)!.Name);
        var wrongValue = Pod("r", edit: s => s.Tolerations = new() { new Toleration { Key = "dedicated", Operator = "Equal", Value = "web" } });
        Assert.Null(Place(wrongValue, nodes, out _));

        var soft = new[] { Node("soft", taints: new() { new Taint { Key = "x", Effect = "PreferNoSchedule" } }) };
        Assert.NotNull(Place(Pod("s"), soft, out _));
    }

    [Fact]
    public void Pod_anti_affinity_by_hostname_keeps_matching_pods_apart()
    {
        var a = Node("a");
        var b = Node("b");
        a.AddPod(new PodInfo(Pod("web-1", labels: new() { ["app"] = "web" })));
        var web2 = Pod("web-2", labels: new() { ["app"] = "web" }, edit: s => s.Affinity = new Affinity
        {
            PodAntiAffinity = new PodAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new()
                {
                    new PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } } },
                },
            },
        });
        Assert.Equal("b", Place(web2, new[] { a, b }, out _)!.Name);
        Assert.Null(Place(web2, new[] { a }, out var error));
        Assert.Equal("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.", error!.Message);
    }

    [Fact]
    public void Pod_anti_affinity_of_a_pod_already_placed_keeps_matching_newcomers_off_its_node()
    {
        var a = Node("a");
        var b = Node("b");
        a.AddPod(new PodInfo(Pod("db-1", labels: new() { ["app"] = "db" }, edit: s => s.Affinity = new Affinity
        {
            PodAntiAffinity = new PodAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new()
                {
                    new PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new LabelSelector { MatchLabels = new() { ["noisy"] = "true" } } },
                },
            },
        })));

        // The newcomer has no terms of its own: only db-1's term keeps it away, as in Kubernetes.
        var noisy = Pod("batch", labels: new() { ["noisy"] = "true" });
        Assert.Equal("b", Place(noisy, new[] { a, b }, out _)!.Name);
        Assert.Null(Place(noisy, new[] { a }, out var error));
        Assert.Equal("0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.", error!.Message);
        Assert.Equal("a", Place(Pod("quiet", labels: new() { ["noisy"] = "false" }), new[] { a }, out _)!.Name);

        a.RemovePod(a.Pods.Single().Key);
        Assert.Empty(a.AntiAffinityPods);
        Assert.Equal("a", Place(noisy, new[] { a }, out _)!.Name);
    }

    [Fact]
    public void Host_ports_must_be_free()
    {
        static void Port(PodSpec s) => s.Containers[0].Ports = new() { new ContainerPortSpec { ContainerPort = 8080, HostPort = 8080 } };
        var a = Node("a");
        a.AddPod(new PodInfo(Pod("one", edit: Port)));
        Assert.Null(Place(Pod("two", edit: Port), new[] { a }, out var error));
        Assert.Equal("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.", error!.Message);
        Assert.Equal("b", Place(Pod("two", edit: Port), new[] { a, Node("b") }, out _)!.Name);

        var udp = Pod("udp", edit: s => s.Containers[0].Ports = new() { new ContainerPortSpec { ContainerPort = 8080, HostPort = 8080, Protocol = "UDP" } });
        Assert.NotNull(Place(udp, new[] { a }, out _));
    }

    [Fact]
    public void Least_allocated_prefers_the_emptier_node()
    {
        var busy = Node("busy");
        busy.AddPod(new PodInfo(Pod("x", cpu: "3", memory: "6Gi")));
        var idle = Node("idle");
        Assert.Equal("idle", Place(Pod("p", cpu: "500m", memory: "512Mi"), new[] { busy, idle }, out _)!.Name);
    }

    [Fact]
    public void Pods_of_one_owner_spread_across_nodes()
    {
        var nodes = new[] { Node("a"), Node("b"), Node("c") };
        var placed = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var info = new PodInfo(Pod("r-" + i, owner: "rs-1"));
            var n = _framework.Schedule(info, nodes, out _)!;
            n.AddPod(info);
            placed.Add(n.Name);
        }

        Assert.All(nodes, n => Assert.Equal(2, placed.Count(p => p == n.Name)));
    }

    [Fact]
    public void Preferred_node_affinity_wins_when_all_else_is_equal()
    {
        var nodes = new[] { Node("plain"), Node("fast", labels: new() { ["cpu"] = "fast" }), Node("plain2") };
        var pod = Pod("p", edit: s => s.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution = new()
                {
                    new PreferredSchedulingTerm { Weight = 50, Preference = new NodeSelectorTerm { MatchExpressions = new() { new LabelSelectorRequirement { Key = "cpu", Operator = "In", Values = new() { "fast" } } } } },
                },
            },
        });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("fast", Place(pod, nodes, out _)!.Name);
        }
    }

    [Fact]
    public void Reasons_are_counted_per_node_most_common_first()
    {
        var nodes = new List<NodeInfo>
        {
            Node("small-1", memory: "512Mi"), Node("small-2", memory: "512Mi"), Node("small-3", memory: "512Mi"),
            Node("db-1", taints: new() { new Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" } }),
            Node("db-2", taints: new() { new Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" } }),
        };
        Assert.Null(Place(Pod("big", memory: "1Gi"), nodes, out var error));
        Assert.Equal("0/5 nodes are available: 3 Insufficient memory, 2 node(s) had untolerated taint {dedicated: db}.", error!.Message);
    }

    [Fact]
    public void Big_clusters_stop_after_enough_feasible_nodes()
    {
        Assert.Equal(50, _framework.FeasibleNodesToFind(50));
        Assert.Equal(500, _framework.FeasibleNodesToFind(5000));
        Assert.Equal(100, _framework.FeasibleNodesToFind(150));
    }
}
