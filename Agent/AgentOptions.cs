using GitOrch.Agent.Runtime;

namespace GitOrch.Agent;

/// <summary>How a node agent runs. Defaults are what <c>gitorch agent</c> uses without the optional flags.</summary>
public sealed record AgentOptions
{
    public const string DefaultDockerEndpoint = "unix:///var/run/docker.sock";

    /// <summary>The Engine's HTTPS API, e.g. <c>https://127.0.0.1:6443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>
    /// The CA the Engine's certificate must chain to (from <c>--ca-file</c>, or the fingerprint of a K10 join token).
    /// Required for an https <see cref="Server"/>: the agent never sends its token to an Engine it has not verified.
    /// </summary>
    public GitOrch.Api.Client.Tls.EngineCa? Ca { get; init; }

    /// <summary>The Engine's agent token (contents of <c>agent.token</c>).</summary>
    public required string Token { get; init; }

    /// <summary>Name of the Node object; containers are labelled with it so several agents can share one Docker engine.</summary>
    public required string NodeName { get; init; }

    /// <summary>The node's address: <c>status.hostIP</c>/<c>podIP</c> of its Pods and where its log endpoint listens.</summary>
    public string NodeIP { get; init; } = "127.0.0.1";

    /// <summary>
    /// Where this node's Service proxy listens for Service ports (<c>--proxy-address</c>); null: <see cref="NodeIP"/>.
    /// Containers reach every Service here (their <c>*_SERVICE_HOST</c> and <c>&lt;svc&gt;.&lt;ns&gt;.svc</c> host entries).
    /// NodePorts always listen on <see cref="NodeIP"/>.
    /// </summary>
    public string? ProxyAddress { get; init; }

    /// <summary>Run the Service proxy (default true).</summary>
    public bool ServiceProxy { get; init; } = true;

    public Uri DockerEndpoint { get; init; } = new(DefaultDockerEndpoint);

    /// <summary>
    /// Builds the agent's container runtime; null (the default, and the only choice the CLI offers): Docker at
    /// <see cref="DockerEndpoint"/>. Benchmarks plug in hollow runtimes to run hundreds of agents in one process.
    /// </summary>
    public Func<AgentOptions, IContainerRuntime>? RuntimeFactory { get; init; }

    /// <summary>
    /// Run the log endpoint (default true). Without it the Node publishes port 0 and <c>pods/log</c> cannot reach
    /// this node; only hollow benchmark agents turn it off, so hundreds of them bind no ports.
    /// </summary>
    public bool LogEndpoint { get; init; } = true;

    /// <summary>Volumes (emptyDir, projected configMap/secret files) live under <c>DIR/pods/UID/</c>.</summary>
    public string DataDir { get; init; } = Path.Combine(Path.GetTempPath(), "gitorch-agent");

    /// <summary>
    /// Containers created and started at the same time. Docker overlaps the waits inside a create and a start, so
    /// it keeps up with far more than 2 cores suggest: a 50-replica rollout on a 2-core machine took 5.3-6.2 s at 8
    /// and 3.7-4.1 s at 32 (docker-compose, which runs up to 64 at once, 3.1-3.5 s; bench scenario e2e).
    /// </summary>
    public const int DefaultMaxParallelStarts = 32;

    /// <summary>Containers created and started at the same time (see <see cref="DefaultMaxParallelStarts"/>).</summary>
    public int MaxParallelStarts { get; init; } = DefaultMaxParallelStarts;

    /// <summary>Port of the log endpoint on <see cref="NodeIP"/>; 0 picks a free one (published in the Node's daemonEndpoints).</summary>
    public int LogPort { get; init; }

    /// <summary>Node heartbeat period (Kubernetes renews every 10 s; a few seconds keeps Ready=False prompt).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Full resync of every Pod against what Docker reports, in case a watch event or Docker event was missed.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline of one ordinary Docker call (create, start, inspect, ...).</summary>
    public TimeSpan DockerCallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of one image pull.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often container and node usage is sampled for <c>/stats/usage</c> (<c>--usage-interval</c>). Default 1 s:
    /// the autoscaler reacts within seconds; a sample of 50 containers costs a Docker list and ~150 small file reads.
    /// </summary>
    public TimeSpan UsageSampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
