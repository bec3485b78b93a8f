using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Controllers;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Events;
using GitOrch.Engine.Scheduling;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Tests.Infrastructure.Controllers;

/// <summary>
/// A real store on a temp dir plus the controllers and scheduler as the Engine hosts them. Can be stopped and started
/// again on the same store (a controller restart), and plays the agent's part: registers Nodes and marks bound Pods
/// Running/Ready (unless <see cref="NeverReady"/> says otherwise).
/// </summary>
public sealed class ControlPlane : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("gitorch-ctrl");
    private readonly Action<GitOrchControllerOptions>? _configure;
    private ServiceProvider? _services;
    private List<IHostedService>? _hosted;
    private CancellationTokenSource? _agentStop;
    private Task? _agent;

    private readonly TimeProvider? _time;

    public ControlPlane(Action<GitOrchControllerOptions>? configure = null, bool agent = true, TimeProvider? time = null)
    {
        _configure = configure;
        _time = time;
        Store = ObjectStore.Open(_dir.Path);
        if (agent)
        {
            StartAgent();
        }
    }

    public ObjectStore Store { get; }

    /// <summary>Pods for which this returns true stay not ready (a broken image, say).</summary>
    public Func<Pod, bool> NeverReady { get; set; } = _ => false;

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("not started");

    public Scheduler Scheduler => Services.GetRequiredService<Scheduler>();

    public async Task StartAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IObjectStore>(Store);
        if (_time != null)
        {
            services.AddSingleton(_time);
        }

        services.AddGitOrchControllers(o =>
        {
            o.Controllers.Queue.MaxRetryDelay = TimeSpan.FromSeconds(1);
            o.Scheduler.InitialBackoff = TimeSpan.FromMilliseconds(50);
            o.Scheduler.MaxBackoff = TimeSpan.FromMilliseconds(200);
            _configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider();
        _hosted = _services.GetServices<IHostedService>().ToList();
        foreach (var h in _hosted)
        {
            await h.StartAsync(CancellationToken.None);
        }
    }

    public async Task StopAsync()
    {
        if (_hosted == null)
        {
            return;
        }

        for (var i = _hosted.Count - 1; i >= 0; i--)
        {
            await _hosted[i].StopAsync(CancellationToken.None);
        }

        await _services!.DisposeAsync();
        _hosted = null;
        _services = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _agentStop?.Cancel();
        if (_agent != null)
        {
            try
            {
                await _agent;
            }
            catch (OperationCanceledException)
            {
            }
        }

        Store.Dispose();
        _dir.Dispose();
    }

    public Task FlushEventsAsync() => Services.GetRequiredService<IEventRecorder>().FlushAsync();

    public Task<Node> AddNodeAsync(string name, string cpu = "4", string memory = "8Gi", Dictionary<string, string>? labels = null, List<Taint>? taints = null, int pods = 110, bool ready = true)
        => Store.CreateAsync(NewNode(name, cpu, memory, labels, taints, pods, ready));

    public static Node NewNode(string name, string cpu = "4", string memory = "8Gi", Dictionary<string, string>? labels = null, List<Taint>? taints = null, int pods = 110, bool ready = true)
    {
        var alloc = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse(cpu), ["memory"] = Quantity.Parse(memory), ["pods"] = Quantity.Parse(pods.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        var l = new Dictionary<string, string>(labels ?? new()) { ["kubernetes.io/hostname"] = name };
        return new Node
        {
            Metadata = new ObjectMeta { Name = name, Labels = l },
            Spec = new NodeSpec { Taints = taints },
            Status = new NodeStatus
            {
                Capacity = alloc,
                Allocatable = alloc,
                Conditions = new List<Condition>
                {
                    new() { Type = "Ready", Status = ready ? "True" : "False", Reason = "KubeletReady", LastHeartbeatTime = DateTimeOffset.UtcNow, LastTransitionTime = DateTimeOffset.UtcNow },
                },
            },
        };
    }

    /// <summary>Renews a node's heartbeat, as its agent would.</summary>
    public async Task HeartbeatAsync(string node)
    {
        var n = Store.Get<Node>(null, node)!;
        var c = n.Status!.Conditions!.First(x => x.Type == "Ready");
        c.LastHeartbeatTime = DateTimeOffset.UtcNow;
        c.Status = "True";
        n.Metadata.ResourceVersion = null;
        await Store.UpdateStatusAsync(n);
    }

    public IReadOnlyList<Pod> Pods(string selector, string ns = "default")
        => Store.List<Pod>(ns, Selector.Parse(selector));

    public IReadOnlyList<ReplicaSet> ReplicaSets(string selector, string ns = "default")
        => Store.List<ReplicaSet>(ns, Selector.Parse(selector));

    public IReadOnlyList<Event> Events(string reason, string? involvedName = null)
        => Store.List<Event>(null, null, e => e.Reason == reason && (involvedName == null || e.InvolvedObject.Name == involvedName));

    public static Deployment NewDeployment(string name, int replicas, string image = "busybox", Action<Deployment>? edit = null)
    {
        var d = new Deployment
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default" },
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                    Spec = new PodSpec { Containers = { new Container { Name = "main", Image = image } } },
                },
            },
        };
        edit?.Invoke(d);
        return d;
    }

    public Task<Deployment> SetImageAsync(string name, string image)
        => EditDeploymentAsync(name, d => d.Spec!.Template.Spec!.Containers[0].Image = image);

    public Task<Deployment> EditDeploymentAsync(string name, Action<Deployment> edit)
        => ConflictRetry.RunAsync(StoreException.IsConflictError, ct =>
        {
            var d = Store.Get<Deployment>("default", name)!;
            edit(d);
            return Store.UpdateAsync(d, ct);
        }, CancellationToken.None, attempts: 11);

    /// <summary>Waits until the Deployment's rollout is complete: all replicas updated and available, no old Pods.</summary>
    public Task<Deployment> RolledOutAsync(string name, TimeSpan? timeout = null)
        => Eventually.Until(
            () => Store.Get<Deployment>("default", name)!,
            d => d.Status?.ObservedGeneration == d.Metadata.Generation
                 && d.Status?.UpdatedReplicas == d.Spec!.Replicas && d.Status?.AvailableReplicas == d.Spec.Replicas && d.Status?.Replicas == d.Spec.Replicas
                 && Pods("app=" + name).Count == d.Spec.Replicas,
            timeout ?? TimeSpan.FromSeconds(20),
            $"deployment {name} rolled out");

    private void StartAgent()
    {
        _agentStop = new CancellationTokenSource();
        var ct = _agentStop.Token;
        _agent = Task.Run(async () =>
        {
            using var watch = Store.Watch(ResourceKinds.Pod, null, Store.Revision);
            while (await watch.Events.WaitToReadAsync(ct))
            {
                while (watch.Events.TryRead(out var e))
                {
                    if (e.Type == WatchEventType.Deleted)
                    {
                        continue;
                    }

                    var pod = (Pod)e.Object.Shared;
                    if (string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Status?.Phase == "Running" || pod.Metadata.DeletionTimestamp != null)
                    {
                        continue;
                    }

                    await MarkRunningAsync(pod, !NeverReady(pod));
                }
            }
        }, ct);
    }

    private async Task MarkRunningAsync(Pod pod, bool ready)
    {
        var copy = Store.Get<Pod>(pod.Metadata.Namespace, pod.Metadata.Name!);
        if (copy == null || copy.Metadata.Uid != pod.Metadata.Uid)
        {
            return;
        }

        copy.Metadata.ResourceVersion = null;
        copy.Status ??= new PodStatus();
        copy.Status.Phase = "Running";
        copy.Status.HostIP = "127.0.0.1";
        copy.Status.Conditions = new List<Condition>
        {
            new() { Type = "PodScheduled", Status = "True" },
            new() { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = DateTimeOffset.UtcNow },
        };
        try
        {
            await Store.UpdateStatusAsync(copy);
        }
        catch (StoreException e) when (e.IsNotFound)
        {
        }
    }
}
