using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Network.Iptables;

/// <summary>
/// The NAT table of one node, computed from Services and Endpoints in the shape of kube-proxy's iptables mode, in
/// chains of this agent's own (prefix P): P-SERVICES matches each ClusterIP:port and jumps to P-SVC-&lt;hash&gt;, which
/// picks an endpoint with <c>-m statistic --mode random</c> (probability 1/n, 1/(n-1), ...), each endpoint a
/// P-SEP-&lt;hash&gt; chain doing the DNAT. <c>sessionAffinity: ClientIP</c> adds <c>-m recent</c> checks before the random
/// pick. Local addresses go on to P-NODEPORTS for nodePorts (<c>externalTrafficPolicy: Local</c> uses only this
/// node's endpoints in P-SVL-&lt;hash&gt; and keeps the client's address; Cluster masquerades). <c>internalTrafficPolicy:
/// Local</c> sends ClusterIP traffic to this node's endpoints only. A Pod reaching itself through its Service (hairpin)
/// and traffic from outside the cluster CIDR are marked and masqueraded in P-POSTROUTING. A pure function: the proxy
/// writes the text with <c>iptables-restore --noflush</c>, one batch per sync.
/// </summary>
public static class IptablesRules
{
    public const string MasqMark = "0x4000/0x4000";

    public sealed record Input
    {
        public required string Prefix { get; init; }
        public required string NodeName { get; init; }
        public required IReadOnlyList<Service> Services { get; init; }
        public required IReadOnlyDictionary<string, Endpoints> Endpoints { get; init; }

        /// <summary>Pod addresses of the cluster (traffic from outside it to a ClusterIP is masqueraded); null: none is.</summary>
        public string? ClusterCidr { get; init; }

        /// <summary>Chains of this prefix that exist now: the ones no longer needed are flushed and deleted in the same batch.</summary>
        public IReadOnlyCollection<string> ExistingChains { get; init; } = [];
    }

    public static string Services(string prefix) => prefix + "-SERVICES";

    public static string NodePorts(string prefix) => prefix + "-NODEPORTS";

    public static string Postrouting(string prefix) => prefix + "-POSTROUTING";

    public static string MarkMasq(string prefix) => prefix + "-MARK-MASQ";

    /// <summary>The <c>iptables-restore</c> input for the nat table.</summary>
    public static string Build(Input input)
    {
        var p = input.Prefix;
        var chains = new List<string> { Services(p), NodePorts(p), Postrouting(p), MarkMasq(p) };
        var rules = new List<string>
        {
            $"-A {Postrouting(p)} -m mark ! --mark {MasqMark} -j RETURN",
            $"-A {Postrouting(p)} -j MARK --xor-mark 0x4000",
            $"-A {Postrouting(p)} -j MASQUERADE",
            $"-A {MarkMasq(p)} -j MARK --set-xmark {MasqMark}",
        };
        var nodePortRules = new List<string>();
        foreach (var service in input.Services.OrderBy(s => s.Metadata.Namespace, StringComparer.Ordinal).ThenBy(s => s.Metadata.Name, StringComparer.Ordinal))
        {
            if (service.Spec?.Ports == null || service.Metadata.DeletionTimestamp != null || !IPAddress.TryParse(service.Spec.ClusterIP, out _))
            {
                continue;
            }

            var key = service.Metadata.Namespace + "/" + service.Metadata.Name;
            input.Endpoints.TryGetValue(key, out var ep);
            foreach (var port in service.Spec.Ports.Where(x => (x.Protocol ?? "TCP") is "TCP" or "UDP" or "SCTP"))
            {
                AddPort(input, service, port, EndpointsOf(ep, port, service.Spec.Ports.Count == 1), chains, rules, nodePortRules);
            }
        }

        rules.AddRange(nodePortRules);
        rules.Add($"-A {Services(p)} -m addrtype --dst-type LOCAL -j {NodePorts(p)}");
        var text = new StringBuilder("*nat\n");
        var stale = input.ExistingChains.Except(chains, StringComparer.Ordinal).ToList();
        foreach (var chain in chains.Concat(stale))
        {
            text.Append(':').Append(chain).Append(" - [0:0]\n");
        }

        foreach (var rule in rules)
        {
            text.Append(rule).Append('\n');
        }

        foreach (var chain in stale)
        {
            text.Append("-X ").Append(chain).Append('\n');
        }

        return text.Append("COMMIT\n").ToString();
    }

    private static void AddPort(Input input, Service service, ServicePort port, List<ServiceEndpoint> all, List<string> chains, List<string> rules, List<string> nodePortRules)
    {
        var p = input.Prefix;
        var spec = service.Spec!;
        var proto = (port.Protocol ?? "TCP").ToLowerInvariant();
        var portName = $"{service.Metadata.Namespace}/{service.Metadata.Name}:{(string.IsNullOrEmpty(port.Name) ? port.Port.ToString(CultureInfo.InvariantCulture) : port.Name)}";
        var comment = $"-m comment --comment \"{portName}\"";
        var local = all.Where(e => e.NodeName == input.NodeName).ToList();
        var internalEps = spec.InternalTrafficPolicy == "Local" ? local : all;
        var affinity = spec.SessionAffinity == "ClientIP" ? spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? 10800 : 0;
        var svc = Chain(p, "SVC", portName);
        chains.Add(svc);
        rules.Add($"-A {Services(p)} {comment} -d {spec.ClusterIP}/32 -p {proto} -m {proto} --dport {port.Port} -j {svc}");
        if (input.ClusterCidr != null)
        {
            rules.Add($"-A {svc} {comment} ! -s {input.ClusterCidr} -d {spec.ClusterIP}/32 -p {proto} -m {proto} --dport {port.Port} -j {MarkMasq(p)}");
        }

        AddBalancing(p, svc, portName, proto, internalEps, affinity, chains, rules);
        if (spec.Type != "NodePort" || port.NodePort is not > 0)
        {
            return;
        }

        if (spec.ExternalTrafficPolicy == "Local")
        {
            // Only this node's endpoints, no masquerade: the Pod sees the client's address.
            var svl = Chain(p, "SVL", portName);
            chains.Add(svl);
            nodePortRules.Add($"-A {NodePorts(p)} {comment} -p {proto} -m {proto} --dport {port.NodePort} -j {svl}");
            AddBalancing(p, svl, portName, proto, local, affinity, chains, rules);
        }
        else
        {
            var ext = Chain(p, "EXT", portName);
            chains.Add(ext);
            nodePortRules.Add($"-A {NodePorts(p)} {comment} -p {proto} -m {proto} --dport {port.NodePort} -j {ext}");
            rules.Add($"-A {ext} -j {MarkMasq(p)}");
            AddBalancing(p, ext, portName, proto, all, affinity, chains, rules);
        }
    }

    /// <summary>Random choice among <paramref name="endpoints"/> (each endpoint chain made once per Service port).</summary>
    private static void AddBalancing(string p, string chain, string portName, string proto, List<ServiceEndpoint> endpoints, int affinity, List<string> chains, List<string> rules)
    {
        var seps = endpoints.Select(e => (Endpoint: e, Chain: Chain(p, "SEP", portName + "/" + e.Ip + ":" + e.Port.ToString(CultureInfo.InvariantCulture)))).ToList();
        foreach (var (e, sep) in seps)
        {
            if (chains.Contains(sep))
            {
                continue;
            }

            chains.Add(sep);
            rules.Add($"-A {sep} -s {e.Ip}/32 -j {MarkMasq(p)}");
            var recent = affinity > 0 ? $"-m recent --name {sep} --set " : "";
            rules.Add($"-A {sep} -p {proto} {recent}-m {proto} -j DNAT --to-destination {e.Ip}:{e.Port.ToString(CultureInfo.InvariantCulture)}");
        }

        if (affinity > 0)
        {
            foreach (var (_, sep) in seps)
            {
                rules.Add($"-A {chain} -m recent --name {sep} --rcheck --seconds {affinity.ToString(CultureInfo.InvariantCulture)} --reap -j {sep}");
            }
        }

        for (var i = 0; i < seps.Count; i++)
        {
            var left = seps.Count - i;
            rules.Add(left > 1
                ? $"-A {chain} -m statistic --mode random --probability {(1.0 / left).ToString("0.0000000000", CultureInfo.InvariantCulture)} -j {seps[i].Chain}"
                : $"-A {chain} -j {seps[i].Chain}");
        }
    }

    /// <summary>Ready endpoints of the subsets that carry this Service port, with the port it resolved to there.</summary>
    public static List<ServiceEndpoint> EndpointsOf(Endpoints? endpoints, ServicePort port, bool onlyPort)
    {
        var set = new SortedSet<ServiceEndpoint>(Comparer<ServiceEndpoint>.Create((a, b) => string.CompareOrdinal(a.Ip + ":" + a.Port, b.Ip + ":" + b.Port)));
        foreach (var subset in endpoints?.Subsets ?? [])
        {
            var match = subset.Ports?.FirstOrDefault(x => x.Name == port.Name || (onlyPort && string.IsNullOrEmpty(x.Name) && string.IsNullOrEmpty(port.Name)))
                ?? (onlyPort && subset.Ports?.Count == 1 ? subset.Ports[0] : null);
            if (match == null || match.Port is < 1 or > 65535)
            {
                continue;
            }

            foreach (var a in subset.Addresses ?? [])
            {
                if (IPAddress.TryParse(a.Ip, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    set.Add(new ServiceEndpoint(a.Ip, match.Port, a.NodeName));
                }
            }
        }

        return set.ToList();
    }

    /// <summary>A chain name of at most 28 characters (iptables' limit): prefix, kind, and a hash of what it stands for.</summary>
    public static string Chain(string prefix, string kind, string of)
    {
        var head = $"{prefix}-{kind}-";
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(of))).Replace('+', 'A').Replace('/', 'B').TrimEnd('=').ToUpperInvariant();
        return head + hash[..Math.Min(hash.Length, 28 - head.Length)];
    }
}
