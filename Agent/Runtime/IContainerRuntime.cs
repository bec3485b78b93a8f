using Docker.DotNet;
using Docker.DotNet.Models;

namespace GitOrch.Agent.Runtime;

/// <summary>
/// What the agent asks of its container engine. <see cref="DockerRuntime"/> is the one the product uses; the
/// interface exists so benchmarks can run many hollow agents without Docker. It keeps Docker.DotNet's model types
/// in its signatures: Docker's API is the agent's model of a container, and a second model would only be a copy.
/// Failures follow <see cref="DockerRuntime"/>'s contract: <see cref="DockerUnavailableException"/> when the engine
/// did not answer, <see cref="DockerApiException"/> when it said no.
/// </summary>
public interface IContainerRuntime : IDisposable
{
    Task PingAsync(CancellationToken ct);

    Task<SystemInfoResponse> InfoAsync(CancellationToken ct);

    /// <summary>All containers (running or not) labelled with the node and, optionally, one Pod uid.</summary>
    Task<IList<ContainerListResponse>> ListAsync(string nodeName, string? podUid, CancellationToken ct);

    /// <summary>The instances of one Pod, inspected (exit codes and times are only in inspect).</summary>
    Task<List<ContainerInstance>> ListPodAsync(string nodeName, string podUid, CancellationToken ct);

    /// <summary>null when there is no such container.</summary>
    Task<ContainerInspectResponse?> InspectAsync(string id, CancellationToken ct);

    /// <summary>The new container's id.</summary>
    Task<string> CreateAsync(CreateContainerParameters parameters, CancellationToken ct);

    Task StartAsync(string id, CancellationToken ct);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>; a missing container is not an error.</summary>
    Task StopAsync(string id, TimeSpan grace, CancellationToken ct);

    /// <summary>Force-removes; a missing container is not an error.</summary>
    Task RemoveAsync(string id, CancellationToken ct);

    Task<bool> ImageExistsAsync(string image, CancellationToken ct);

    /// <summary>Makes image <paramref name="reference"/> from a root filesystem tarball (<c>docker import</c>): the Pod sandbox image is built so, nothing is pulled.</summary>
    Task ImportImageAsync(Stream rootfsTar, string reference, IList<string> changes, CancellationToken ct)
        => throw new NotSupportedException("this container runtime cannot import images");

    /// <summary>Pulls; an error the registry reports mid-stream becomes an <see cref="ImagePullException"/>.</summary>
    Task PullAsync(ImageReference image, AuthConfig? auth, IProgress<JSONMessage> progress, TimeSpan timeout, CancellationToken ct);

    /// <summary>Runs a command in a running container; returns its exit code (null when it did not finish in time).</summary>
    Task<long?> ExecAsync(string id, IList<string> command, TimeSpan timeout, CancellationToken ct);

    Task<MultiplexedStream> LogsAsync(string id, ContainerLogsParameters parameters, CancellationToken ct);

    /// <summary>Streams container events for this node's containers until cancelled or the engine goes away.</summary>
    Task MonitorAsync(string nodeName, IProgress<Message> progress, CancellationToken ct);
}
