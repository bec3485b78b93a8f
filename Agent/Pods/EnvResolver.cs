using GitOrch.Api.Model;

namespace GitOrch.Agent.Pods;

/// <summary>
/// Turns a container's <c>env</c> and <c>envFrom</c> into Docker's <c>NAME=value</c> list, with Kubernetes'
/// rules: envFrom first, explicit env after (so it wins), <c>$(VAR)</c> references to earlier variables expanded,
/// a missing non-optional ConfigMap/Secret/key is a <see cref="ContainerConfigException"/>.
/// </summary>
public static class EnvResolver
{
    public static async Task<List<string>> ResolveAsync(Pod pod, Container container, string nodeIP, PodResources resources, CancellationToken ct)
    {
        var ns = pod.Namespace ?? "default";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string name, string value)
        {
            if (!values.ContainsKey(name))
            {
                order.Add(name);
            }

            values[name] = value;
        }

        foreach (var from in container.EnvFrom ?? [])
        {
            var prefix = from.Prefix ?? "";
            if (from.ConfigMapRef is { } cmRef)
            {
                var cm = await resources.ConfigMapAsync(cmRef.Name ?? "", ct);
                if (cm == null)
                {
                    if (cmRef.Optional == true)
                    {
                        continue;
                    }

                    throw new ContainerConfigException($"configmap \"{cmRef.Name}\" not found");
                }

                foreach (var (k, v) in cm.Data ?? [])
                {
                    Set(prefix + k, v);
                }
            }

            if (from.SecretRef is { } sRef)
            {
                var secret = await resources.SecretAsync(sRef.Name ?? "", ct);
                if (secret == null)
                {
                    if (sRef.Optional == true)
                    {
                        continue;
                    }

                    throw new ContainerConfigException($"secret \"{sRef.Name}\" not found");
                }

                foreach (var k in (secret.Data?.Keys ?? Enumerable.Empty<string>()).Concat(secret.StringData?.Keys ?? Enumerable.Empty<string>()).Distinct())
                {
                    Set(prefix + k, secret.GetString(k) ?? "");
                }
            }
        }

        foreach (var env in container.Env ?? [])
        {
            string? value;
            if (env.ValueFrom == null)
            {
                value = Expand(env.Value ?? "", values);
            }
            else
            {
                value = await FromSourceAsync(pod, ns, env, nodeIP, resources, ct);
                if (value == null)
                {
                    continue; // optional and missing: Kubernetes leaves the variable unset
                }
            }

            Set(env.Name, value);
        }

        return order.Select(n => n + "=" + values[n]).ToList();
    }

    private static async Task<string?> FromSourceAsync(Pod pod, string ns, EnvVar env, string nodeIP, PodResources resources, CancellationToken ct)
    {
        var source = env.ValueFrom!;
        if (source.FieldRef is { } field)
        {
            return field.FieldPath switch
            {
                "metadata.name" => pod.Name,
                "metadata.namespace" => ns,
                "metadata.uid" => pod.Metadata.Uid ?? "",
                "spec.nodeName" => pod.Spec?.NodeName ?? "",
                "spec.serviceAccountName" => pod.Spec?.ServiceAccountName ?? "default",
                // Host networking: the Pod's address is its node's.
                "status.hostIP" or "status.podIP" or "status.hostIPs" or "status.podIPs" => nodeIP,
                var p when p.StartsWith("metadata.labels['", StringComparison.Ordinal) => pod.Metadata.Labels?.GetValueOrDefault(p[17..^2]) ?? "",
                var p when p.StartsWith("metadata.annotations['", StringComparison.Ordinal) => pod.Metadata.Annotations?.GetValueOrDefault(p[22..^2]) ?? "",
                var p => throw new ContainerConfigException($"unsupported fieldRef \"{p}\" in env {env.Name}"),
            };
        }

        if (source.ConfigMapKeyRef is { } cmKey)
        {
            var cm = await resources.ConfigMapAsync(cmKey.Name ?? "", ct);
            if (cm == null)
            {
                return cmKey.Optional == true ? null : throw new ContainerConfigException($"configmap \"{cmKey.Name}\" not found");
            }

            if (cm.Data != null && cm.Data.TryGetValue(cmKey.Key, out var v))
            {
                return v;
            }

            return cmKey.Optional == true ? null : throw new ContainerConfigException($"couldn't find key {cmKey.Key} in ConfigMap {ns}/{cmKey.Name}");
        }

        if (source.SecretKeyRef is { } sKey)
        {
            var secret = await resources.SecretAsync(sKey.Name ?? "", ct);
            if (secret == null)
            {
                return sKey.Optional == true ? null : throw new ContainerConfigException($"secret \"{sKey.Name}\" not found");
            }

            var v = secret.GetString(sKey.Key);
            return v ?? (sKey.Optional == true ? null : throw new ContainerConfigException($"couldn't find key {sKey.Key} in Secret {ns}/{sKey.Name}"));
        }

        throw new ContainerConfigException($"env {env.Name} has an empty valueFrom");
    }

    /// <summary>Kubernetes' <c>$(NAME)</c> expansion against variables defined earlier; <c>$$</c> escapes.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string> defined)
    {
        if (!value.Contains('$'))
        {
            return value;
        }

        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '$')
            {
                sb.Append('$');
                i++;
            }
            else if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '(' && value.IndexOf(')', i) is var end and > 0)
            {
                var name = value[(i + 2)..end];
                sb.Append(defined.TryGetValue(name, out var v) ? v : value[i..(end + 1)]);
                i = end;
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }
}
