using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace GitOrch.Agent.Runtime;

/// <summary>
/// The agent's only door to the Docker engine. Every call has its own deadline, and "Docker did not answer" is
/// always a <see cref="DockerUnavailableException"/>, so callers can tell "the engine is down" (change nothing,
/// retry) from "the engine said no" (<see cref="DockerApiException"/>: report it on the Pod).
/// </summary>
public sealed class DockerRuntime : IContainerRuntime
{
    private readonly DockerClient _client;
    private readonly TimeSpan _callTimeout;

    public DockerRuntime(Uri endpoint, TimeSpan callTimeout)
    {
        // The client's own timeout must not cut log follows and image pulls: deadlines are per call below.
        _client = new DockerClientBuilder().WithEndpoint(endpoint).WithTimeout(Timeout.InfiniteTimeSpan).Build();
        _callTimeout = callTimeout;
    }

    public IDockerClient Client => _client;

    public Task PingAsync(CancellationToken ct) => CallAsync(c => _client.System.PingAsync(c), ct, _callTimeout);

    public Task<SystemInfoResponse> InfoAsync(CancellationToken ct) => CallAsync(c => _client.System.GetSystemInfoAsync(c), ct, _callTimeout);

    /// <summary>All containers (running or not) labelled with the node and, optionally, one Pod uid.</summary>
    public Task<IList<ContainerListResponse>> ListAsync(string nodeName, string? podUid, CancellationToken ct)
    {
        var labels = new Dictionary<string, bool> { [$"{AgentLabels.NodeName}={nodeName}"] = true };
        if (podUid != null)
        {
            labels[$"{AgentLabels.PodUid}={podUid}"] = true;
        }

        return CallAsync(c => _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        }, c), ct, _callTimeout);
    }

    /// <summary>The instances of one Pod, inspected (exit codes and times are only in inspect).</summary>
    public async Task<List<ContainerInstance>> ListPodAsync(string nodeName, string podUid, CancellationToken ct)
    {
        var list = await ListAsync(nodeName, podUid, ct);
        var result = new List<ContainerInstance>(list.Count);
        foreach (var c in list)
        {
            var inspected = await InspectAsync(c.ID, ct);
            if (inspected != null)
            {
                result.Add(ContainerInstance.From(inspected));
            }
        }

        return result;
    }

    public async Task<ContainerInspectResponse?> InspectAsync(string id, CancellationToken ct)
    {
        try
        {
            return await CallAsync(c => _client.Containers.InspectContainerAsync(id, c), ct, _callTimeout);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    public async Task<string> CreateAsync(CreateContainerParameters parameters, CancellationToken ct)
        => (await CallAsync(c => _client.Containers.CreateContainerAsync(parameters, c), ct, _callTimeout)).ID;

    public Task StartAsync(string id, CancellationToken ct)
        => CallAsync(c => _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), c), ct, _callTimeout);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/> (Docker does both).</summary>
    public async Task StopAsync(string id, TimeSpan grace, CancellationToken ct)
    {
        try
        {
            var seconds = (uint)Math.Max(0, Math.Ceiling(grace.TotalSeconds));
            await CallAsync(c => _client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, c), ct, grace + _callTimeout);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    public async Task RemoveAsync(string id, CancellationToken ct)
    {
        try
        {
            await CallAsync(c => _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, c), ct, _callTimeout);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // "removal already in progress": someone (an earlier call) is doing it.
        }
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken ct)
    {
        try
        {
            await CallAsync(c => _client.Images.InspectImageAsync(image, c), ct, _callTimeout);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task ImportImageAsync(Stream rootfsTar, string reference, IList<string> changes, CancellationToken ct)
    {
        var colon = reference.LastIndexOf(':');
        var (repo, tag) = colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
        return CallAsync(c => _client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromSrc = "-", Repo = repo, Tag = tag, Changes = changes },
            rootfsTar,
            new AuthConfig(),
            new CallbackProgress(_ => { }),
            c), ct, _callTimeout);
    }

    /// <summary>Pulls; an error the registry reports mid-stream (auth, not found) becomes a <see cref="DockerApiException"/>-like failure.</summary>
    public async Task PullAsync(ImageReference image, AuthConfig? auth, IProgress<JSONMessage> progress, TimeSpan timeout, CancellationToken ct)
    {
        string? error = null;
        var relay = new CallbackProgress(m =>
        {
            if (m.Error != null && !string.IsNullOrEmpty(m.Error.Message))
            {
                error = m.Error.Message;
            }

            progress.Report(m);
        });
        await CallAsync(c => _client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = image.Repository, Tag = image.Tag ?? (image.Digest == null ? "latest" : null) },
            auth ?? new AuthConfig(),
            relay,
            c), ct, timeout);
        if (error != null)
        {
            throw new ImagePullException(error);
        }
    }

    /// <summary>Runs a command in a running container; returns its exit code (null when it did not finish in time).</summary>
    public async Task<long?> ExecAsync(string id, IList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var exec = await CallAsync(c => _client.Exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters
        {
            Cmd = command,
            AttachStdout = true,
            AttachStderr = true,
        }, c), cts.Token, _callTimeout);
        using (var stream = await CallAsync(c => _client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), c), cts.Token, _callTimeout))
        {
            try
            {
                // Reading to the end is waiting for the command to finish.
                await stream.ReadOutputToEndAsync(cts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
        }

        var result = await CallAsync(c => _client.Exec.InspectContainerExecAsync(exec.ID, c), ct, _callTimeout);
        return result.Running ? null : result.ExitCode;
    }

    public Task<MultiplexedStream> LogsAsync(string id, ContainerLogsParameters parameters, CancellationToken ct)
        => CallAsync(c => _client.Containers.GetContainerLogsAsync(id, parameters, c), ct, parameters.Follow == true ? Timeout.InfiniteTimeSpan : _callTimeout);

    /// <summary>Streams Docker's container events for this node's containers until cancelled or Docker goes away.</summary>
    public Task MonitorAsync(string nodeName, IProgress<Message> progress, CancellationToken ct)
        => CallAsync(c => _client.System.MonitorEventsAsync(new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
                ["label"] = new Dictionary<string, bool> { [$"{AgentLabels.NodeName}={nodeName}"] = true },
            },
        }, progress, c), ct, Timeout.InfiniteTimeSpan);

    public void Dispose() => _client.Dispose();

    private static async Task CallAsync(Func<CancellationToken, Task> call, CancellationToken ct, TimeSpan timeout)
        => await CallAsync(async c =>
        {
            await call(c);
            return true;
        }, ct, timeout);

    private static async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            cts.CancelAfter(timeout);
        }

        try
        {
            return await call(cts.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new DockerUnavailableException($"Docker did not answer within {timeout.TotalSeconds:0}s", e);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsUnreachable(e))
        {
            throw new DockerUnavailableException("Docker engine unreachable: " + e.Message, e);
        }
    }

    private static bool IsUnreachable(Exception e) => e switch
    {
        DockerApiException => false,
        HttpRequestException or SocketException or IOException => true,
        _ => e.InnerException != null && IsUnreachable(e.InnerException),
    };

    private sealed class CallbackProgress(Action<JSONMessage> onReport) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => onReport(value);
    }
}
