using System.Globalization;
using GitOrch.Api.Model;

namespace GitOrch.Agent;

/// <summary>
/// Service discovery inside containers, as Kubernetes does it but without virtual IPs: every Service is reached at
/// the proxy address of the Pod's node and the Service's port (the node's agent proxy listens there).
/// <list type="bullet">
/// <item><see cref="Variables"/>: <c>&lt;NAME&gt;_SERVICE_HOST</c>, <c>&lt;NAME&gt;_SERVICE_PORT</c>,
/// <c>&lt;NAME&gt;_SERVICE_PORT_&lt;PORTNAME&gt;</c> and the Docker-link style <c>&lt;NAME&gt;_PORT...</c> variables for the
/// Services of the Pod's namespace that exist when the Pod starts (the Kubernetes convention: later Services are not
/// seen until the container is recreated). The container's own env comes after them and wins.</item>
/// <item><see cref="HostEntries"/>: Docker <c>ExtraHosts</c> ("name:ip") so <c>&lt;service&gt;.&lt;namespace&gt;.svc</c>
/// (and <c>.svc.cluster.local</c>, and the bare name within the Pod's namespace) resolve to that address.</item>
/// </list>
/// The Pod worker calls both when it creates a container (PodWorker.Containers.cs):
/// <code>
/// var services = await resources.ServicesAsync(ct);   // all namespaces, once per sync
/// env = ServiceEnvironment.Prepend(env, pod, services, proxyAddress);
/// parameters.HostConfig.ExtraHosts = ServiceEnvironment.HostEntries(pod, services, proxyAddress);
/// </code>
/// </summary>
public static class ServiceEnvironment
{
    /// <summary>Environment variables, ordered by Service name, for the Services in the Pod's namespace.</summary>
    /// <param name="address">The node's proxy address; null: each Service's own ClusterIP (the Pod network with iptables NAT).</param>
    public static IReadOnlyList<KeyValuePair<string, string>> Variables(Pod pod, IEnumerable<Service> services, string? address)
    {
        var ns = pod.Metadata.Namespace ?? "default";
        var vars = new List<KeyValuePair<string, string>>();
        foreach (var service in Reachable(services, address).Where(s => (s.Metadata.Namespace ?? "default") == ns).OrderBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            var proxyAddress = address ?? service.Spec!.ClusterIP!;
            var name = EnvName(service.Metadata.Name ?? "");
            var ports = service.Spec!.Ports!;
            var first = ports[0];
            vars.Add(new(name + "_SERVICE_HOST", proxyAddress));
            vars.Add(new(name + "_SERVICE_PORT", Num(first.Port)));
            foreach (var p in ports.Where(p => !string.IsNullOrEmpty(p.Name)))
            {
                vars.Add(new(name + "_SERVICE_PORT_" + EnvName(p.Name!), Num(p.Port)));
            }

            vars.Add(new(name + "_PORT", $"{Proto(first)}://{proxyAddress}:{Num(first.Port)}"));
            foreach (var p in ports)
            {
                var prefix = $"{name}_PORT_{Num(p.Port)}_{Proto(p).ToUpperInvariant()}";
                vars.Add(new(prefix, $"{Proto(p)}://{proxyAddress}:{Num(p.Port)}"));
                vars.Add(new(prefix + "_PROTO", Proto(p)));
                vars.Add(new(prefix + "_PORT", Num(p.Port)));
                vars.Add(new(prefix + "_ADDR", proxyAddress));
            }
        }

        return vars;
    }

    /// <summary>
    /// Docker's <c>NAME=value</c> list with the Service variables first; a name the container's own env already
    /// sets is left out, so the container's value wins (as in Kubernetes) whichever duplicate a program would read.
    /// </summary>
    public static List<string> Prepend(IReadOnlyList<string> env, Pod pod, IEnumerable<Service> services, string? proxyAddress)
    {
        var own = new HashSet<string>(env.Select(e => e.Split('=', 2)[0]), StringComparer.Ordinal);
        var merged = Variables(pod, services, proxyAddress).Where(kv => !own.Contains(kv.Key)).Select(kv => kv.Key + "=" + kv.Value).ToList();
        merged.AddRange(env);
        return merged;
    }

    /// <summary>Docker ExtraHosts entries ("host:ip") for every Service of every namespace, plus bare names for the Pod's own.</summary>
    public static IList<string> HostEntries(Pod pod, IEnumerable<Service> services, string proxyAddress)
    {
        var ns = pod.Metadata.Namespace ?? "default";
        var entries = new List<string>();
        foreach (var service in Reachable(services, proxyAddress).OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            var sns = service.Metadata.Namespace ?? "default";
            var name = service.Metadata.Name!;
            entries.Add($"{name}.{sns}.svc:{proxyAddress}");
            entries.Add($"{name}.{sns}.svc.cluster.local:{proxyAddress}");
            if (sns == ns)
            {
                entries.Add($"{name}.{sns}:{proxyAddress}");
                entries.Add($"{name}:{proxyAddress}");
            }
        }

        return entries;
    }

    /// <summary>
    /// Stable names of a StatefulSet's Pods, <c>&lt;hostname&gt;.&lt;subdomain&gt;.&lt;namespace&gt;.svc</c>, for the Pods of the
    /// same subdomain that have an address when this container starts (hosts entries are fixed at container start;
    /// a Pod that moves later is not followed).
    /// </summary>
    public static IList<string> PeerHostEntries(Pod pod, IEnumerable<Pod> pods)
    {
        var subdomain = pod.Spec?.Subdomain;
        var ns = pod.Metadata.Namespace ?? "default";
        var entries = new List<string>();
        if (string.IsNullOrEmpty(subdomain))
        {
            return entries;
        }

        foreach (var peer in pods.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var ip = peer.Status?.PodIP ?? peer.Status?.HostIP;
            if (peer.Spec?.Subdomain == subdomain && !string.IsNullOrEmpty(peer.Spec.Hostname) && !string.IsNullOrEmpty(ip) && (peer.Metadata.Namespace ?? "default") == ns)
            {
                entries.Add($"{peer.Spec.Hostname}.{subdomain}.{ns}.svc:{ip}");
                entries.Add($"{peer.Spec.Hostname}.{subdomain}.{ns}.svc.cluster.local:{ip}");
            }
        }

        return entries;
    }

    /// <summary>"my-svc" becomes "MY_SVC", as Kubernetes names the variables.</summary>
    public static string EnvName(string name) => name.ToUpperInvariant().Replace('-', '_').Replace('.', '_');

    /// <summary>Services the proxy serves: with ports, not being deleted, not headless (headless ones have no address in Kubernetes either).</summary>
    private static IEnumerable<Service> Reachable(IEnumerable<Service> services, string? address)
        => services.Where(s => s.Spec?.Ports is { Count: > 0 } && s.Metadata.DeletionTimestamp == null && !string.IsNullOrEmpty(s.Metadata.Name)
            && !string.Equals(s.Spec.ClusterIP, "None", StringComparison.OrdinalIgnoreCase)
            && (address != null || System.Net.IPAddress.TryParse(s.Spec.ClusterIP, out _)));

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Proto(ServicePort p) => (p.Protocol ?? "TCP").ToLowerInvariant();
}
