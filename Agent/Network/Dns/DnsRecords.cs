using System.Net;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Network.Dns;

/// <summary>
/// The cluster's DNS zone from Services and Endpoints, following Kubernetes' DNS specification:
/// <c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c> A records (the ClusterIP; a headless Service: every ready Pod IP),
/// <c>&lt;hostname&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c> for endpoints with a hostname (StatefulSet Pods), and
/// <c>_&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;domain&gt;</c> SRV records for named ports. Built once per change
/// (an immutable index), so queries only look up.
/// </summary>
public sealed class DnsRecords
{
    private readonly Dictionary<string, IPAddress[]> _a = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string Target, int Port)[]> _srv = new(StringComparer.OrdinalIgnoreCase);

    public static DnsRecords Empty { get; } = new("cluster.local");

    private DnsRecords(string domain)
    {
        Suffix = "svc." + domain.Trim('.');
    }

    /// <summary><c>svc.&lt;domain&gt;</c>: names under it are answered here (NXDOMAIN when unknown), never forwarded.</summary>
    public string Suffix { get; }

    /// <param name="address">A non-headless Service's address: its ClusterIP (iptables mode), or the node's proxy address (userspace mode).</param>
    public static DnsRecords Build(string domain, IEnumerable<Service> services, IReadOnlyDictionary<string, Endpoints> endpoints, Func<Service, string?> address)
    {
        var r = new DnsRecords(domain);
        foreach (var s in services.Where(s => s.Metadata.DeletionTimestamp == null && s.Spec != null))
        {
            var key = s.Metadata.Namespace + "/" + s.Metadata.Name;
            var name = $"{s.Metadata.Name}.{s.Metadata.Namespace}.{r.Suffix}";
            endpoints.TryGetValue(key, out var ep);
            var ready = (ep?.Subsets ?? []).SelectMany(x => x.Addresses ?? []).ToList();
            var headless = string.Equals(s.Spec!.ClusterIP, "None", StringComparison.OrdinalIgnoreCase);
            var ips = headless
                ? ready.Select(a => a.Ip).Distinct().Select(Parse).OfType<IPAddress>().ToArray()
                : address(s) is { } ip && Parse(ip) is { } parsed ? [parsed] : [];
            r._a[name] = ips;
            foreach (var byHost in ready.Where(a => !string.IsNullOrEmpty(a.Hostname)).GroupBy(a => a.Hostname!, StringComparer.OrdinalIgnoreCase))
            {
                r._a[byHost.Key + "." + name] = byHost.Select(a => Parse(a.Ip)).OfType<IPAddress>().ToArray();
            }

            foreach (var port in (s.Spec.Ports ?? []).Where(p => !string.IsNullOrEmpty(p.Name)))
            {
                var srvName = $"_{port.Name}._{(port.Protocol ?? "TCP").ToLowerInvariant()}.{name}";
                r._srv[srvName] = headless
                    ? ready.Where(a => !string.IsNullOrEmpty(a.Hostname)).Select(a => (a.Hostname + "." + name, port.Port)).ToArray()
                    : [(name, port.Port)];
            }
        }

        return r;
    }

    /// <summary>True when the name is in the cluster zone (answer here, NXDOMAIN if unknown).</summary>
    public bool InZone(string name) => name.TrimEnd('.').EndsWith("." + Suffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Addresses of a name; null when the name does not exist.</summary>
    public IPAddress[]? A(string name) => _a.TryGetValue(name.TrimEnd('.'), out var ips) ? ips : null;

    public (string Target, int Port)[]? Srv(string name) => _srv.TryGetValue(name.TrimEnd('.'), out var v) ? v : null;

    private static IPAddress? Parse(string? s) => IPAddress.TryParse(s, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ip : null;
}
