using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Pods;

public sealed partial class PodWorker
{
    /// <summary>Where containers on this node reach Services (the node's Service proxy).</summary>
    private string ProxyAddress => string.IsNullOrEmpty(_ctx.Options.ProxyAddress) ? _ctx.NodeIP : _ctx.Options.ProxyAddress!;

    /// <summary>
    /// Moves one container one step: nothing when its latest instance runs or finished for good; otherwise start a
    /// new instance (after the back-off), pulling the image and resolving its configuration first. Returns when
    /// the worker should look again (back-off expiry), or now after a start.
    /// </summary>
    private async Task<DateTimeOffset?> EnsureContainerAsync(
        Pod pod,
        Container container,
        bool isInit,
        List<ContainerInstance> list,
        string restartPolicy,
        PodResources resources,
        Dictionary<string, string> volumePaths,
        string? volumeError,
        DateTimeOffset now,
        CancellationToken ct)
    {
        var key = PodStatusBuilder.Key(isInit, container.Name);
        var latest = list.LastOrDefault();
        if (latest is { Running: true })
        {
            _waiting.Remove(key);
            _pullBackoff.Remove(key);
            return null;
        }

        if (latest is { NeverStarted: true, Error: null, ExitCode: 0 } && _leftoversStarted.Add(latest.Id))
        {
            // Created, never started, and Docker recorded no failed start: an agent died between create and start.
            // That container is this attempt (same immutable Pod spec), so start it; counting it as a crash would
            // run a second container next to it and report a restart that never happened.
            return await StartLeftoverAsync(pod, container, latest, key, now, ct);
        }

        int attempt = 0, step = 0;
        if (latest != null)
        {
            if (!latest.NeverStarted && !RestartBackoff.ShouldRestart(restartPolicy, latest.ExitCode))
            {
                _waiting.Remove(key);
                return null;
            }

            var exitedAt = latest.FinishedAt ?? SeenExit(latest.Id, now);
            var ranFor = latest.StartedAt is { } s && latest.FinishedAt is { } f ? f - s : TimeSpan.Zero;
            step = RestartBackoff.NextStep(latest.BackoffStep, ranFor);
            attempt = latest.Attempt + 1;
            var due = exitedAt + RestartBackoff.Delay(step);
            if (now < due)
            {
                var delay = RestartBackoff.Delay(step);
                if (!_waiting.TryGetValue(key, out var w) || w.Reason != "CrashLoopBackOff")
                {
                    await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Warning, "BackOff", "Back-off restarting failed container", ct);
                }

                _waiting[key] = new ContainerWaiting("CrashLoopBackOff", $"back-off {Seconds(delay)} restarting failed container={container.Name} pod={pod.Name}_{pod.Namespace}({Uid})");
                return due;
            }
        }

        if (string.IsNullOrEmpty(container.Image))
        {
            _waiting[key] = new ContainerWaiting("InvalidImageName", "container has no image");
            return null;
        }

        // Image first: a missing image is the most common reason a Pod waits.
        var image = ImageReference.Parse(container.Image);
        if (_pullBackoff.TryGetValue(key, out var pb) && now < pb.Until)
        {
            _waiting[key] = new ContainerWaiting("ImagePullBackOff", $"Back-off pulling image \"{container.Image}\"");
            return pb.Until;
        }

        try
        {
            await EnsureImageAsync(pod, container, image, resources, ct);
            _pullBackoff.Remove(key);
        }
        catch (ImagePullException e)
        {
            var failures = _pullBackoff.TryGetValue(key, out var prev) ? prev.Failures + 1 : 1;
            var backoff = RestartBackoff.Sequence.Delay(failures);
            _pullBackoff[key] = (failures, now + backoff);
            var reason = e.Message.StartsWith("ErrImageNeverPull", StringComparison.Ordinal) ? "ErrImageNeverPull" : "ErrImagePull";
            _waiting[key] = new ContainerWaiting(reason, e.Message);
            await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Warning, "Failed", $"Failed to pull image \"{container.Image}\": {e.Message}", ct);
            return now + backoff;
        }

        // Configuration: a missing ConfigMap/Secret/key waits for the user (resync retries), it does not crash-loop.
        List<string> env;
        IReadOnlyList<Service> services;
        IReadOnlyList<Pod> peers = [];
        try
        {
            if (volumeError != null)
            {
                throw new ContainerConfigException(volumeError);
            }

            env = await EnvResolver.ResolveAsync(pod, container, _ctx.NodeIP, resources, ct);
            services = await resources.ServicesAsync(ct);
            env = ServiceEnvironment.Prepend(env, pod, services, ProxyAddress);
            if (!string.IsNullOrEmpty(pod.Spec?.Subdomain))
            {
                peers = await resources.PodsAsync(ct);
            }
        }
        catch (ContainerConfigException e)
        {
            _waiting[key] = new ContainerWaiting("CreateContainerConfigError", e.Message);
            if (!_reportedErrors.TryGetValue(key, out var reported) || reported != e.Message)
            {
                _reportedErrors[key] = e.Message;
                await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Warning, "Failed", "Error: " + e.Message, ct);
            }

            return null;
        }

        _reportedErrors.Remove(key);
        CreateContainerParameters parameters;
        try
        {
            parameters = ContainerConfigBuilder.Build(pod, container, isInit, attempt, step, _ctx.NodeName, env, volumePaths);
            parameters.HostConfig!.ExtraHosts = [.. ServiceEnvironment.HostEntries(pod, services, ProxyAddress), .. ServiceEnvironment.PeerHostEntries(pod, peers)];
        }
        catch (ContainerConfigException e)
        {
            _waiting[key] = new ContainerWaiting("CreateContainerConfigError", e.Message);
            return null;
        }

        await _ctx.StartGate.WaitAsync(ct);
        try
        {
            string id;
            try
            {
                id = await _ctx.Docker.CreateAsync(parameters, ct);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // The name is taken: this very attempt was created already (the agent died between create and
                // start, or the transport retried the create). Use that container; anything else is replaced.
                var existing = await _ctx.Docker.InspectAsync(parameters.Name!, ct);
                if (existing?.Config?.Labels is { } labels && labels.TryGetValue(AgentLabels.PodUid, out var owner) && owner == Uid && existing.State?.Running != true)
                {
                    id = existing.ID;
                }
                else
                {
                    await _ctx.Docker.RemoveAsync(parameters.Name!, ct);
                    id = await _ctx.Docker.CreateAsync(parameters, ct);
                }
            }
            catch (DockerApiException e)
            {
                _waiting[key] = new ContainerWaiting("CreateContainerError", e.ResponseBody ?? e.Message);
                await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Warning, "Failed", "Error: " + (e.ResponseBody ?? e.Message), ct);
                return now + TimeSpan.FromSeconds(10);
            }

            try
            {
                await _ctx.Docker.StartAsync(id, ct);
            }
            catch (DockerApiException e)
            {
                // The instance stays as "never started" and goes through the crash back-off like an exit.
                _waiting.Remove(key);
                await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Warning, "Failed", "Error: " + (e.ResponseBody ?? e.Message), ct);
                return now;
            }
        }
        finally
        {
            _ctx.StartGate.Release();
        }

        _waiting.Remove(key);
        Metrics.AgentMeters.ContainerStarted(_ctx.NodeName, attempt);
        await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Normal, attempt == 0 ? "Started" : "Restarted",
            attempt == 0 ? $"Started container {container.Name}" : $"Restarted container {container.Name} (restart {attempt})", ct);
        return now;
    }

    /// <summary>Starts a container an earlier agent created but never started; a failure goes through the crash back-off.</summary>
    private async Task<DateTimeOffset?> StartLeftoverAsync(Pod pod, Container container, ContainerInstance leftover, string key, DateTimeOffset now, CancellationToken ct)
    {
        await _ctx.StartGate.WaitAsync(ct);
        try
        {
            await _ctx.Docker.StartAsync(leftover.Id, ct);
        }
        catch (DockerApiException e)
        {
            _waiting.Remove(key);
            await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Warning, "Failed", "Error: " + (e.ResponseBody ?? e.Message), ct);
            return now;
        }
        finally
        {
            _ctx.StartGate.Release();
        }

        _waiting.Remove(key);
        await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Normal, leftover.Attempt == 0 ? "Started" : "Restarted",
            leftover.Attempt == 0 ? $"Started container {container.Name}" : $"Restarted container {container.Name} (restart {leftover.Attempt})", ct);
        return now;
    }

    private async Task EnsureImageAsync(Pod pod, Container container, ImageReference image, PodResources resources, CancellationToken ct)
    {
        var policy = string.IsNullOrEmpty(container.ImagePullPolicy) ? image.DefaultPullPolicy : container.ImagePullPolicy;
        if (policy != "Always" && await _ctx.Docker.ImageExistsAsync(container.Image!, ct))
        {
            return;
        }

        if (policy == "Never")
        {
            throw new ImagePullException($"ErrImageNeverPull: container image \"{container.Image}\" is not present with pull policy of Never");
        }

        var auth = await PullSecrets.FindAsync(pod, image, resources, ct);
        await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Normal, "Pulling", $"Pulling image \"{container.Image}\"", ct);
        var started = _ctx.Time.GetTimestamp();
        var progress = new PullProgress(this, pod, container);
        try
        {
            await _ctx.Docker.PullAsync(image, auth, progress, _ctx.Options.PullTimeout, ct);
        }
        catch (DockerApiException e)
        {
            throw new ImagePullException(e.ResponseBody is { Length: > 0 } body ? body.Trim() : e.Message, e);
        }
        catch (DockerUnavailableException e) when (e.InnerException is OperationCanceledException)
        {
            throw new ImagePullException($"pull of \"{container.Image}\" timed out after {_ctx.Options.PullTimeout.TotalSeconds:0}s", e);
        }

        await progress.FlushAsync(ct);
        var took = _ctx.Time.GetElapsedTime(started);
        await _ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Normal, "Pulled", $"Successfully pulled image \"{container.Image}\" in {took.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s", ct);
    }

    private DateTimeOffset SeenExit(string id, DateTimeOffset now)
    {
        if (!_exitSeen.TryGetValue(id, out var t))
        {
            t = now;
            _exitSeen[id] = t;
        }

        return t;
    }

    private static string Seconds(TimeSpan t) => t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{(int)t.TotalMinutes}m0s" : $"{(int)t.TotalSeconds}s";

    /// <summary>Turns Docker's pull stream into at most one "Pulling" progress Event every 2 seconds.</summary>
    private sealed class PullProgress(PodWorker worker, Pod pod, Container container) : IProgress<JSONMessage>
    {
        private readonly Dictionary<string, (long Current, long Total)> _layers = new(StringComparer.Ordinal);
        private long _lastEvent = worker._ctx.Time.GetTimestamp();
        private Task _pending = Task.CompletedTask;

        public void Report(JSONMessage value)
        {
            lock (_layers)
            {
                if (value.ID != null && value.Progress is { Total: > 0 } p)
                {
                    _layers[value.ID] = (p.Current ?? 0, p.Total ?? 0);
                }

                if (_layers.Count == 0 || worker._ctx.Time.GetElapsedTime(_lastEvent) < TimeSpan.FromSeconds(2) || !_pending.IsCompleted)
                {
                    return;
                }

                _lastEvent = worker._ctx.Time.GetTimestamp();
                var current = _layers.Values.Sum(l => l.Current);
                var total = _layers.Values.Sum(l => l.Total);
                _pending = worker._ctx.Events.RecordAsync(pod, container.Name, PodEventRecorder.Normal, "Pulling",
                    $"Pulling image \"{container.Image}\": {current / 1048576.0:0.0} MB of {total / 1048576.0:0.0} MB ({_layers.Count} layers)", CancellationToken.None);
            }
        }

        public Task FlushAsync(CancellationToken ct) => _pending.WaitAsync(ct);
    }
}
