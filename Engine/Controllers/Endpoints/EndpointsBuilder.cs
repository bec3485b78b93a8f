using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Controllers.Common;

namespace GitOrch.Engine.Controllers.Endpoints;

/// <summary>
/// The pure part of the endpoints controller: from a Service and the Pods of its namespace, the subsets its Endpoints
/// object must hold. Deterministic (sorted), so an unchanged world gives byte-identical output and no write.
/// </summary>
public static class EndpointsBuilder
{
    /// <summary>
    /// Pods its selector matches that have an address and are not finished or being deleted; Ready ones in
    /// <c>addresses</c>, the others in <c>notReadyAddresses</c> (all of them in addresses with publishNotReadyAddresses).
    /// Pods are grouped by the ports their service ports resolve to, since a named targetPort may resolve differently
    /// per Pod; a Pod that lacks a named port is left out of that port (Kubernetes' rule).
    /// </summary>
    /// <param name="nodeAddress">The address of a node by name (its InternalIP), used when the Pod reports neither podIP nor hostIP.</param>
    public static List<EndpointSubset> Build(Service service, IEnumerable<Pod> pods, Func<string, string?>? nodeAddress = null)
    {
        var selector = Selector.FromLabels(service.Spec?.Selector);
        var ports = service.Spec?.Ports ?? new List<ServicePort>();
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        var groups = new SortedDictionary<string, (List<EndpointPort> Ports, List<EndpointAddress> Ready, List<EndpointAddress> NotReady)>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!selector.Matches(pod.Metadata.Labels) || pod.Metadata.DeletionTimestamp != null || PodPhases.IsTerminal(pod.Status?.Phase))
            {
                continue;
            }

            var ip = AddressOf(pod, nodeAddress);
            if (ip == null)
            {
                continue;
            }

            var resolved = new List<EndpointPort>(ports.Count);
            foreach (var sp in ports)
            {
                if (ResolvePort(sp, pod) is { } target)
                {
                    resolved.Add(new EndpointPort { Name = sp.Name, Port = target, Protocol = sp.Protocol ?? "TCP" });
                }
            }

            if (resolved.Count == 0 && ports.Count > 0)
            {
                continue;
            }

            var key = string.Join(",", resolved.Select(p => p.Name + ":" + p.Port));
            if (!groups.TryGetValue(key, out var group))
            {
                group = (resolved, new List<EndpointAddress>(), new List<EndpointAddress>());
                groups[key] = group;
            }

            var address = new EndpointAddress
            {
                Ip = ip,
                NodeName = pod.Spec?.NodeName,
                TargetRef = new ObjectReference { Kind = "Pod", Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            };
            (publishNotReady || PodState.IsReady(pod) ? group.Ready : group.NotReady).Add(address);
        }

        var subsets = new List<EndpointSubset>(groups.Count);
        foreach (var group in groups.Values)
        {
            subsets.Add(new EndpointSubset
            {
                Addresses = group.Ready.Count == 0 ? null : Sorted(group.Ready),
                NotReadyAddresses = group.NotReady.Count == 0 ? null : Sorted(group.NotReady),
                Ports = group.Ports.Count == 0 ? null : group.Ports,
            });
        }

        return subsets;
    }

    /// <summary>
    /// The port a Service port reaches on a Pod: targetPort as a number, a named container port of the Pod, or (no
    /// targetPort) the Service port itself. Null when the name matches no container port.
    /// </summary>
    public static int? ResolvePort(ServicePort port, Pod pod)
    {
        if (port.TargetPort is not { } target)
        {
            return port.Port;
        }

        if (!target.IsString)
        {
            return target.IntValue == 0 ? port.Port : target.IntValue;
        }

        if (int.TryParse(target.StringValue, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric))
        {
            return numeric;
        }

        foreach (var c in pod.Spec?.Containers ?? new List<Container>())
        {
            foreach (var cp in c.Ports ?? new List<ContainerPortSpec>())
            {
                if (cp.Name == target.StringValue && (cp.Protocol ?? "TCP") == (port.Protocol ?? "TCP"))
                {
                    return cp.ContainerPort;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Where a Pod is reached. Containers share their node's network (host networking), so a Pod's IP is its node's
    /// address: status.podIP as the agent reports it, else status.hostIP, else the node's InternalIP.
    /// </summary>
    public static string? AddressOf(Pod pod, Func<string, string?>? nodeAddress)
    {
        if (!string.IsNullOrEmpty(pod.Status?.PodIP))
        {
            return pod.Status!.PodIP;
        }

        if (!string.IsNullOrEmpty(pod.Status?.HostIP))
        {
            return pod.Status!.HostIP;
        }

        return pod.Spec?.NodeName is { Length: > 0 } node && nodeAddress != null ? nodeAddress(node) : null;
    }

    private static List<EndpointAddress> Sorted(List<EndpointAddress> addresses)
    {
        addresses.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Ip, b.Ip);
            return c != 0 ? c : string.CompareOrdinal(a.TargetRef?.Name, b.TargetRef?.Name);
        });
        return addresses;
    }
}
