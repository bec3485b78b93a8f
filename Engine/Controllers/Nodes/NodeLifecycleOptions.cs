namespace GitOrch.Engine.Controllers.Nodes;

public sealed class NodeLifecycleOptions
{
    /// <summary>A node whose Ready heartbeat is older than this is NotReady (Ready=Unknown) and gets the unreachable taint (default 40 s, as Kubernetes' node-monitor-grace-period).</summary>
    public TimeSpan HeartbeatGracePeriod { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How long Pods without a matching toleration stay on a NotReady/unreachable node before they are deleted and recreated elsewhere (default 30 s).
    /// A toleration with tolerationSeconds overrides it; one without tolerationSeconds keeps the Pod there.</summary>
    public TimeSpan EvictionDelay { get; set; } = TimeSpan.FromSeconds(30);
}
