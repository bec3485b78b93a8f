using System.Globalization;
using System.Net;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Proxy;

/// <summary>
/// From the Services and Endpoints of the cluster, the ports this node's proxy listens on and where each forwards to.
/// GitOrch gives Services no virtual IPs: each Service port listens on the proxy address at the Service's port, and a
/// NodePort also on the node address at its nodePort. Two Services wanting the same address and port cannot both
/// have it: the older Service keeps it (then the name decides) and the other is reported in <see cref="Conflicts"/>.
/// Headless Services (clusterIP None) get no listener, as with kube-proxy.
/// </summary>
internal static class ProxyRules
{
    public static (List<ProxyRoute> Routes, List<string> Conflicts) Compute(IEnumerable<Service> services, IReadOnlyDictionary<string, Endpoints> endpoints, IPAddress proxyAddress, IPAddress nodeAddress)
    {
        var routes = new Dictionary<IPEndPoint, ProxyRoute>();
        var conflicts = new List<string>();
        var ordered = services
            .OrderBy(s => s.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
            .ThenBy(s => s.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(s => s.Metadata.Name, StringComparer.Ordinal);
        foreach (var service in ordered)
        {
            if (service.Spec?.Ports == null || service.Metadata.DeletionTimestamp != null || string.Equals(service.Spec.ClusterIP, "None", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = service.Metadata.Namespace + "/" + service.Metadata.Name;
            endpoints.TryGetValue(key, out var ep);
            foreach (var port in service.Spec.Ports)
            {
                if (port.Protocol is not (null or "TCP"))
                {
                    continue;
                }

                var backends = Backends(ep, port, service.Spec.Ports.Count == 1);
                var name = key + ":" + (port.Name is { Length: > 0 } n ? n : port.Port.ToString(CultureInfo.InvariantCulture));
                Add(routes, conflicts, new ProxyRoute(new IPEndPoint(proxyAddress, port.Port), name, backends));
                if (service.Spec.Type == "NodePort" && port.NodePort is { } np && np > 0)
                {
                    Add(routes, conflicts, new ProxyRoute(new IPEndPoint(nodeAddress, np), name + " (nodePort)", backends));
                }
            }
        }

        return (routes.Values.ToList(), conflicts);
    }

    /// <summary>Ready addresses of the subsets that carry this Service port, with the port it resolved to there.</summary>
    public static IPEndPoint[] Backends(Endpoints? endpoints, ServicePort port, bool onlyPort)
    {
        if (endpoints?.Subsets == null)
        {
            return Array.Empty<IPEndPoint>();
        }

        var set = new SortedSet<(string Ip, int Port)>();
        foreach (var subset in endpoints.Subsets)
        {
            var match = subset.Ports?.FirstOrDefault(p => p.Name == port.Name || (onlyPort && string.IsNullOrEmpty(p.Name) && string.IsNullOrEmpty(port.Name)))
                ?? (onlyPort && subset.Ports?.Count == 1 ? subset.Ports[0] : null);
            if (match == null || match.Port is < 1 or > 65535 || subset.Addresses == null)
            {
                continue;
            }

            foreach (var a in subset.Addresses)
            {
                if (IPAddress.TryParse(a.Ip, out _))
                {
                    set.Add((a.Ip, match.Port));
                }
            }
        }

        return set.Select(x => new IPEndPoint(IPAddress.Parse(x.Ip), x.Port)).ToArray();
    }

    private static void Add(Dictionary<IPEndPoint, ProxyRoute> routes, List<string> conflicts, ProxyRoute route)
    {
        if (routes.TryGetValue(route.Listen, out var holder))
        {
            conflicts.Add($"{route.Name} wants {route.Listen}, which {holder.Name} holds");
            return;
        }

        routes[route.Listen] = route;
    }
}
