using GitOrch.Api.Client;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Pods;

/// <summary>ConfigMaps and Secrets a Pod refers to, fetched from the Engine once per sync.</summary>
public sealed class PodResources(GitOrchClient client, string ns)
{
    private readonly Dictionary<string, ConfigMap?> _configMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Secret?> _secrets = new(StringComparer.Ordinal);
    private IReadOnlyList<Service>? _services;

    /// <summary>Every Service (all namespaces) as it is now: discovery variables and host entries of a starting container.</summary>
    public async Task<IReadOnlyList<Service>> ServicesAsync(CancellationToken ct)
        => _services ??= (await client.ListAsync<Service>(null, (string?)null, null, ct)).Items;

    /// <summary>The Pods of this namespace, for the stable names of StatefulSet peers.</summary>
    public async Task<IReadOnlyList<Pod>> PodsAsync(CancellationToken ct)
        => (await client.ListAsync<Pod>(ns, (string?)null, null, ct)).Items;

    public async Task<ConfigMap?> ConfigMapAsync(string name, CancellationToken ct)
    {
        if (!_configMaps.TryGetValue(name, out var cm))
        {
            cm = await client.TryGetAsync<ConfigMap>(ns, name, ct);
            _configMaps[name] = cm;
        }

        return cm;
    }

    public async Task<Secret?> SecretAsync(string name, CancellationToken ct)
    {
        if (!_secrets.TryGetValue(name, out var s))
        {
            s = await client.TryGetAsync<Secret>(ns, name, ct);
            _secrets[name] = s;
        }

        return s;
    }
}
