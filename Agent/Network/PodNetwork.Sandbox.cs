using System.Globalization;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using GitOrch.Agent.Network.Cni;
using GitOrch.Agent.Runtime;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Network;

public sealed partial class PodNetwork
{
    /// <summary>
    /// The Pod's running, networked sandbox, made if needed: reuses the latest sandbox when it runs and has a cached
    /// CNI result (CHECKed once per agent run: adoption after a restart), finishes the setup of one an earlier agent
    /// left half-made, or replaces a dead one (DEL first, so its address goes back). Throws <see cref="CniException"/>
    /// with the plugin's message when the network cannot be set up; the worker reports it and retries.
    /// </summary>
    public async Task<PodSandboxInfo> EnsureAsync(Pod pod, IReadOnlyList<ContainerInstance> sandboxes, CancellationToken ct)
    {
        if (!await TryLoadPodCidrAsync(ct).ConfigureAwait(false))
        {
            throw new CniException($"node {_agent.NodeName} has no spec.podCIDR yet: the Engine gives none when its cluster CIDR (--cluster-cidr) is exhausted");
        }

        var latest = sandboxes.MaxBy(s => s.Attempt);
        if (latest is { Running: true })
        {
            var cached = ReadResult(latest.Id);
            if (cached != null && IPOf(cached) is { } ip)
            {
                if (_checked.Add(latest.Id))
                {
                    await _cni.CheckAsync(_list!, await TargetAsync(pod, latest.Id, ct).ConfigureAwait(false), cached, ct).ConfigureAwait(false);
                }

                return Ready(new PodSandboxInfo { ContainerId = latest.Id, IP = ip, Gateway = GatewayOf(cached) });
            }

            // Started, never networked (the agent died in between, or ADD failed): DEL whatever half-happened, ADD again.
            return await SetUpAsync(pod, latest.Id, fresh: false, ct).ConfigureAwait(false);
        }

        foreach (var dead in sandboxes)
        {
            await RemoveSandboxAsync(pod, dead.Id, running: false, ct).ConfigureAwait(false);
        }

        var id = await CreateSandboxAsync(pod, (latest?.Attempt ?? -1) + 1, ct).ConfigureAwait(false);
        return await SetUpAsync(pod, id, fresh: true, ct).ConfigureAwait(false);
    }

    /// <summary>CNI DEL and removal of every sandbox of the Pod (after its containers stopped).</summary>
    public async Task TeardownAsync(Pod? pod, string podUid, IEnumerable<string> sandboxIds, CancellationToken ct)
    {
        pod ??= new Pod { Metadata = new ObjectMeta { Uid = podUid } };
        foreach (var id in sandboxIds)
        {
            await RemoveSandboxAsync(pod, id, running: true, ct).ConfigureAwait(false);
        }
    }

    private async Task<PodSandboxInfo> SetUpAsync(Pod pod, string id, bool fresh, CancellationToken ct)
    {
        var target = await TargetAsync(pod, id, ct).ConfigureAwait(false);
        await _cni.DelAsync(_list!, target, null, ct).ConfigureAwait(false);
        await _cni.AddAsync(_loopback, target, ct).ConfigureAwait(false);
        var result = await _cni.AddAsync(_list!, target, ct).ConfigureAwait(false);
        var ip = IPOf(result) ?? throw new CniException($"CNI network {_list!.Name} ({_list.Path}) gave the Pod no IPv4 address: {result.ToJsonString()}");
        WriteResult(id, result);
        _checked.Add(id);
        NetworkLog.SandboxReady(_logger, pod.Namespace ?? "", pod.Name ?? "", id[..12], ip);
        return Ready(new PodSandboxInfo { ContainerId = id, IP = ip, Gateway = GatewayOf(result), Fresh = fresh });
    }

    private PodSandboxInfo Ready(PodSandboxInfo sandbox)
    {
        if (sandbox.Gateway != null && System.Net.IPAddress.TryParse(sandbox.Gateway, out var gw))
        {
            SandboxReady?.Invoke(gw);
        }

        return sandbox;
    }

    private async Task<string> CreateSandboxAsync(Pod pod, int attempt, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid ?? "";
        var ns = pod.Namespace ?? "default";
        var parameters = new CreateContainerParameters
        {
            Name = $"gitorch_POD_{pod.Name}_{ns}_{(uid.Length > 8 ? uid[..8] : uid)}_{attempt.ToString(CultureInfo.InvariantCulture)}",
            Image = Options.SandboxImage,
            Hostname = string.IsNullOrEmpty(pod.Spec?.Hostname) ? pod.Name : pod.Spec!.Hostname,
            Labels = new Dictionary<string, string>
            {
                [AgentLabels.NodeName] = _agent.NodeName,
                [AgentLabels.PodUid] = uid,
                [AgentLabels.PodNamespace] = ns,
                [AgentLabels.PodName] = pod.Name ?? "",
                [AgentLabels.ContainerName] = "POD",
                [AgentLabels.ContainerKind] = AgentLabels.SandboxKind,
                [AgentLabels.Attempt] = attempt.ToString(CultureInfo.InvariantCulture),
            },
            HostConfig = new HostConfig { NetworkMode = "none", Init = true, Memory = 16 * 1024 * 1024 },
        };
        string id;
        try
        {
            id = await _docker.CreateAsync(parameters, ct).ConfigureAwait(false);
        }
        catch (Docker.DotNet.DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // The name is taken: an agent died after creating it. Start over with that name.
            await _docker.RemoveAsync(parameters.Name, ct).ConfigureAwait(false);
            id = await _docker.CreateAsync(parameters, ct).ConfigureAwait(false);
        }

        await _docker.StartAsync(id, ct).ConfigureAwait(false);
        return id;
    }

    private async Task RemoveSandboxAsync(Pod pod, string id, bool running, CancellationToken ct)
    {
        var target = running ? await TargetAsync(pod, id, ct).ConfigureAwait(false) : Target(pod, id, "");
        if (_list != null || await TryLoadPodCidrAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await _cni.DelAsync(_list!, target, ReadResult(id), ct).ConfigureAwait(false);
            }
            catch (CniException e)
            {
                // DEL must not keep a deleted Pod alive; host-local's reconcile at the next start frees what is left.
                NetworkLog.DelFailed(_logger, id[..Math.Min(12, id.Length)], e.Message);
            }
        }

        await _docker.RemoveAsync(id, ct).ConfigureAwait(false);
        File.Delete(ResultPath(id));
        _checked.Remove(id);
    }

    private async Task<CniTarget> TargetAsync(Pod pod, string id, CancellationToken ct)
    {
        var inspected = await _docker.InspectAsync(id, ct).ConfigureAwait(false);
        var pid = inspected?.State is { Running: true, Pid: > 0 } s ? s.Pid : 0;
        return Target(pod, id, pid > 0 ? $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net" : "");
    }

    private static CniTarget Target(Pod pod, string id, string netns) => new()
    {
        ContainerId = id,
        NetNs = netns,
        PodNamespace = pod.Namespace ?? "",
        PodName = pod.Name ?? "",
        PodUid = pod.Metadata.Uid ?? "",
        PortMappings = PortMappings(pod),
    };

    /// <summary>hostPorts as portmap's runtimeConfig wants them.</summary>
    private static JsonArray? PortMappings(Pod pod)
    {
        var list = new JsonArray();
        foreach (var p in (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).Where(p => p.HostPort is > 0))
        {
            var m = new JsonObject { ["hostPort"] = p.HostPort, ["containerPort"] = p.ContainerPort, ["protocol"] = (p.Protocol ?? "TCP").ToLowerInvariant() };
            if (!string.IsNullOrEmpty(p.HostIP))
            {
                m["hostIP"] = p.HostIP;
            }

            list.Add(m);
        }

        return list.Count == 0 ? null : list;
    }

    private static string? IPOf(JsonObject result)
        => (result["ips"] as JsonArray)?.Select(i => i?["address"]?.GetValue<string>()).FirstOrDefault(a => a != null && a.Contains('.'))?.Split('/')[0];

    private static string? GatewayOf(JsonObject result)
        => (result["ips"] as JsonArray)?.Select(i => i?["gateway"]?.GetValue<string>()).FirstOrDefault(a => a != null);

    private string ResultPath(string id) => Path.Combine(_resultsDir, id + ".json");

    private JsonObject? ReadResult(string id)
    {
        var path = ResultPath(id);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
    }

    private void WriteResult(string id, JsonObject result)
    {
        var path = ResultPath(id);
        File.WriteAllText(path + ".tmp", result.ToJsonString());
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
