using System.Globalization;
using Docker.DotNet.Models;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Pods;

/// <summary>
/// Translates one container of a Pod into Docker's create parameters: labels that tie it to the Pod and node,
/// command/args as entrypoint/cmd, env, working directory, limits, bind mounts, and host networking (every
/// container of a Pod shares the host's network namespace here, which is what makes them share one).
/// </summary>
public static class ContainerConfigBuilder
{
    public static CreateContainerParameters Build(
        Pod pod,
        Container container,
        bool isInit,
        int attempt,
        int backoffStep,
        string nodeName,
        IList<string> env,
        IReadOnlyDictionary<string, string> volumePaths)
    {
        var uid = pod.Metadata.Uid ?? "";
        var ns = pod.Namespace ?? "default";
        var labels = new Dictionary<string, string>
        {
            [AgentLabels.NodeName] = nodeName,
            [AgentLabels.PodUid] = uid,
            [AgentLabels.PodNamespace] = ns,
            [AgentLabels.PodName] = pod.Name,
            [AgentLabels.ContainerName] = container.Name,
            [AgentLabels.ContainerKind] = isInit ? "init" : "app",
            [AgentLabels.Attempt] = attempt.ToString(CultureInfo.InvariantCulture),
            [AgentLabels.BackoffStep] = backoffStep.ToString(CultureInfo.InvariantCulture),
        };

        var host = new HostConfig
        {
            NetworkMode = "host",

            // tini as PID 1 forwards SIGTERM to the workload; without it a shell or sleep as PID 1 ignores SIGTERM
            // and every graceful stop would wait out the whole grace period.
            Init = true,
            Binds = Binds(pod, container, volumePaths),
            LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "2" } },
        };

        if (container.Resources?.Limits is { } limits)
        {
            if (limits.TryGetValue("cpu", out var cpu))
            {
                host.NanoCPUs = cpu.Milli * 1_000_000;
            }

            if (limits.TryGetValue("memory", out var memory))
            {
                host.Memory = (long)memory.Value;
            }
        }

        var hostName = string.IsNullOrEmpty(pod.Spec?.Hostname) ? null : pod.Spec!.Hostname;

        // Kubernetes expands $(VAR) in command and args from the container's environment (httpd -p $(HOST_IP):8080).
        var defined = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in env)
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                defined[e[..eq]] = e[(eq + 1)..];
            }
        }

        List<string>? Expanded(List<string>? words) => words is { Count: > 0 } ? words.Select(w => EnvResolver.Expand(w, defined)).ToList() : null;
        return new CreateContainerParameters
        {
            Name = ContainerName(pod, container.Name, attempt, uid),
            Image = container.Image!,
            Entrypoint = Expanded(container.Command)!,
            Cmd = Expanded(container.Args)!,
            WorkingDir = string.IsNullOrEmpty(container.WorkingDir) ? null! : container.WorkingDir,
            Env = env,
            Labels = labels,
            Hostname = hostName!,
            HostConfig = host,
        };
    }

    /// <summary>Unique per attempt so the previous instance (for <c>log?previous=true</c>) can stay next to the new one.</summary>
    public static string ContainerName(Pod pod, string container, int attempt, string uid)
        => $"gitorch_{container}_{pod.Name}_{pod.Namespace ?? "default"}_{(uid.Length > 8 ? uid[..8] : uid)}_{attempt}";

    private static List<string> Binds(Pod pod, Container container, IReadOnlyDictionary<string, string> volumePaths)
    {
        var binds = new List<string>();
        var readOnlyKinds = (pod.Spec?.Volumes ?? []).Where(v => v.ConfigMap != null || v.Secret != null).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var m in container.VolumeMounts ?? [])
        {
            if (!volumePaths.TryGetValue(m.Name, out var hostPath))
            {
                throw new ContainerConfigException($"volumeMount {m.Name} refers to no volume of the Pod");
            }

            if (!string.IsNullOrEmpty(m.SubPath) && VolumeManager.IsNamedVolume(hostPath))
            {
                throw new ContainerConfigException($"volumeMount {m.Name}: subPath is not supported on a persistentVolumeClaim volume");
            }

            if (!string.IsNullOrEmpty(m.SubPath))
            {
                hostPath = Path.Combine(hostPath, m.SubPath);
                if (!File.Exists(hostPath))
                {
                    Directory.CreateDirectory(hostPath);
                }
            }

            // configMap and secret volumes are read-only in Kubernetes whatever the mount says.
            var ro = m.ReadOnly == true || readOnlyKinds.Contains(m.Name);
            binds.Add($"{hostPath}:{m.MountPath}{(ro ? ":ro" : "")}");
        }

        return binds;
    }
}
