using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using GitOrch.Agent;
using GitOrch.Agent.Runtime;

namespace GitOrch.Bench.Hollow;

/// <summary>
/// A container runtime that runs nothing: it records the containers an agent creates, starts, stops and removes,
/// in memory, and answers list/inspect from that record as Docker would. With it, hundreds of real agents (real
/// Pod workers, heartbeats, watches and status writes against the Engine) fit in one process, like Kubernetes'
/// kubemark hollow nodes. Benchmark-only: it lives in the bench project, so no product build can select it.
/// </summary>
public sealed class RecordingRuntime : IContainerRuntime
{
    private const string Never = "0001-01-01T00:00:00Z";

    private readonly Dictionary<string, Entry> _containers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly RuntimeRecord _record;

    public RecordingRuntime(RuntimeRecord record) => _record = record;

    public Task PingAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<SystemInfoResponse> InfoAsync(CancellationToken ct) => Task.FromResult(new SystemInfoResponse { ServerVersion = "hollow" });

    public Task<IList<ContainerListResponse>> ListAsync(string nodeName, string? podUid, CancellationToken ct)
    {
        _record.List();
        lock (_lock)
        {
            IList<ContainerListResponse> list = Matching(nodeName, podUid).Select(e => new ContainerListResponse
            {
                ID = e.Id,
                Names = ["/" + e.Name],
                Image = e.Image,
                Labels = e.Labels,
                State = e.Running ? "running" : e.StartedAt == null ? "created" : "exited",
            }).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<List<ContainerInstance>> ListPodAsync(string nodeName, string podUid, CancellationToken ct)
    {
        _record.List();
        lock (_lock)
        {
            return Task.FromResult(Matching(nodeName, podUid).Select(e => ContainerInstance.From(Inspect(e))).ToList());
        }
    }

    public Task<ContainerInspectResponse?> InspectAsync(string id, CancellationToken ct)
    {
        _record.Inspect();
        lock (_lock)
        {
            var e = Find(id);
            return Task.FromResult(e == null ? null : Inspect(e));
        }
    }

    public Task<string> CreateAsync(CreateContainerParameters parameters, CancellationToken ct)
    {
        _record.Create();
        lock (_lock)
        {
            var name = parameters.Name ?? Guid.NewGuid().ToString("N");
            if (_containers.Values.Any(c => c.Name == name))
            {
                throw new DockerApiException(HttpStatusCode.Conflict, $"Conflict. The container name \"/{name}\" is already in use");
            }

            var id = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
            _containers[id] = new Entry
            {
                Id = id,
                Name = name,
                Image = parameters.Image ?? "",
                Labels = new Dictionary<string, string>(parameters.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            };
            return Task.FromResult(id);
        }
    }

    public Task StartAsync(string id, CancellationToken ct)
    {
        _record.Start();
        lock (_lock)
        {
            var e = Find(id) ?? throw new DockerContainerNotFoundException(HttpStatusCode.NotFound, "No such container: " + id);
            e.Running = true;
            e.StartedAt = DateTimeOffset.UtcNow;
            e.FinishedAt = null;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(string id, TimeSpan grace, CancellationToken ct)
    {
        _record.Stop();
        lock (_lock)
        {
            if (Find(id) is { Running: true } e)
            {
                e.Running = false;
                e.ExitCode = 137;
                e.FinishedAt = DateTimeOffset.UtcNow;
            }
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string id, CancellationToken ct)
    {
        _record.Remove();
        lock (_lock)
        {
            if (Find(id) is { } e)
            {
                _containers.Remove(e.Id);
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> ImageExistsAsync(string image, CancellationToken ct) => Task.FromResult(true);

    public Task PullAsync(ImageReference image, AuthConfig? auth, IProgress<JSONMessage> progress, TimeSpan timeout, CancellationToken ct) => Task.CompletedTask;

    public Task<long?> ExecAsync(string id, IList<string> command, TimeSpan timeout, CancellationToken ct) => Task.FromResult<long?>(0);

    public Task<MultiplexedStream> LogsAsync(string id, ContainerLogsParameters parameters, CancellationToken ct)
        => throw new NotSupportedException("hollow containers have no output (hollow agents run without a log endpoint)");

    /// <summary>No events: the agent reads the runtime again after every start, and nothing here ever dies on its own.</summary>
    public Task MonitorAsync(string nodeName, IProgress<Message> progress, CancellationToken ct) => Task.Delay(Timeout.Infinite, ct);

    public void Dispose()
    {
    }

    private IEnumerable<Entry> Matching(string nodeName, string? podUid)
        => _containers.Values.Where(e => Label(e, AgentLabels.NodeName) == nodeName && (podUid == null || Label(e, AgentLabels.PodUid) == podUid)).ToList();

    private Entry? Find(string idOrName)
        => _containers.TryGetValue(idOrName, out var e) ? e : _containers.Values.FirstOrDefault(c => c.Name == idOrName);

    private static string? Label(Entry e, string key) => e.Labels.TryGetValue(key, out var v) ? v : null;

    private static ContainerInspectResponse Inspect(Entry e) => new()
    {
        ID = e.Id,
        Name = "/" + e.Name,
        Image = "sha256:" + new string('0', 64),
        Config = new ContainerConfig { Image = e.Image, Labels = new Dictionary<string, string>(e.Labels) },
        State = new State
        {
            Running = e.Running,
            Status = e.Running ? "running" : e.StartedAt == null ? "created" : "exited",
            ExitCode = e.ExitCode,
            StartedAt = e.StartedAt?.ToString("O", CultureInfo.InvariantCulture) ?? Never,
            FinishedAt = e.FinishedAt?.ToString("O", CultureInfo.InvariantCulture) ?? Never,
        },
    };

    private sealed class Entry
    {
        public required string Id { get; init; }
        public required string Name { get; init; }
        public required string Image { get; init; }
        public required Dictionary<string, string> Labels { get; init; }
        public bool Running { get; set; }
        public long ExitCode { get; set; }
        public DateTimeOffset? StartedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
    }
}
