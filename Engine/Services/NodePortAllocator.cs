using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Services;

/// <summary>
/// Gives every port of a NodePort Service a nodePort and refuses ports that are taken, outside the range, or set on a
/// Service that is not of type NodePort (422 Invalid, with the field path). It is an admission plugin, so it runs inside
/// the store's committer in order with every other write: two Services created in the same instant can never get the
/// same port, and the check needs no lock of its own.
/// <para>
/// Virtual IPs come from <see cref="ClusterIPAllocator"/>. A NodePort Service is reached at each node's own address and
/// its <c>nodePort</c> (iptables NAT or the userspace proxy of each node's agent).
/// </para>
/// Register with <c>storeOptions.Admission.Add(new NodePortAllocator())</c>.
/// </summary>
public sealed class NodePortAllocator : IAdmissionPlugin
{
    private readonly NodePortRange _range;
    private readonly object _gate = new();
    private int _next;

    public NodePortAllocator(NodePortRange? range = null)
    {
        _range = range ?? NodePortRange.Default;
        if (_range.First < 1 || _range.Last > 65535 || _range.First > _range.Last)
        {
            throw new ArgumentOutOfRangeException(nameof(range), $"invalid nodePort range {_range}");
        }
    }

    public NodePortRange Range => _range;

    public void Admit(StoreVerb verb, KubeObject obj, KubeObject? old, IStoreView view)
    {
        if (obj is not Service service || verb is not (StoreVerb.Create or StoreVerb.Update) || service.Spec?.Ports == null)
        {
            return;
        }

        var ports = service.Spec.Ports;
        var isNodePort = service.Spec.Type == "NodePort";
        var causes = new List<StatusCause>();
        if (!isNodePort)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if (ports[i].NodePort is { } np && np != 0)
                {
                    causes.Add(Cause(i, "FieldValueForbidden", $"Forbidden: may not be used when `type` is '{service.Spec.Type ?? "ClusterIP"}'"));
                }
            }

            Throw(service, causes);
            return;
        }

        // An update that leaves nodePort out keeps the port it had (what Kubernetes does), so re-applying a manifest
        // from Git never moves a port clients already use.
        if (old is Service before && before.Spec?.Type == "NodePort" && before.Spec.Ports != null)
        {
            foreach (var p in ports)
            {
                if (p.NodePort is null or 0)
                {
                    p.NodePort = before.Spec.Ports.FirstOrDefault(o => o.Port == p.Port && o.Name == p.Name)?.NodePort
                        ?? (ports.Count == 1 && before.Spec.Ports.Count == 1 ? before.Spec.Ports[0].NodePort : null);
                }
            }
        }

        var taken = TakenByOthers(service, view);
        var mine = new HashSet<int>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i].NodePort is not { } np || np == 0)
            {
                continue;
            }

            if (!_range.Contains(np))
            {
                causes.Add(Cause(i, "FieldValueInvalid", $"Invalid value: {np}: provided port is not in the valid range. The range of valid ports is {_range}"));
            }
            else if (taken.TryGetValue(np, out var owner))
            {
                causes.Add(Cause(i, "FieldValueInvalid", $"Invalid value: {np}: provided port is already allocated (by service {owner})"));
            }
            else if (!mine.Add(np))
            {
                causes.Add(Cause(i, "FieldValueDuplicate", $"Duplicate value: {np}"));
            }
        }

        Throw(service, causes);
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i].NodePort is null or 0)
            {
                var port = Allocate(taken, mine);
                if (port == 0)
                {
                    Throw(service, new List<StatusCause> { Cause(i, "FieldValueInvalid", $"Invalid value: 0: range {_range} is full: no nodePort left to allocate") });
                }

                ports[i].NodePort = port;
                mine.Add(port);
            }
        }
    }

    /// <summary>nodePorts held by every other Service, to the "namespace/name" that holds each.</summary>
    private static Dictionary<int, string> TakenByOthers(Service service, IStoreView view)
    {
        var taken = new Dictionary<int, string>();
        foreach (var o in view.List(Api.Model.ResourceKinds.Service))
        {
            if (o is not Service other || (other.Metadata.Namespace == service.Metadata.Namespace && other.Metadata.Name == service.Metadata.Name))
            {
                continue;
            }

            foreach (var p in other.Spec?.Ports ?? new List<ServicePort>())
            {
                if (p.NodePort is { } np && np != 0)
                {
                    taken[np] = other.Metadata.Namespace + "/" + other.Metadata.Name;
                }
            }
        }

        return taken;
    }

    /// <summary>The next free port after the last one given, wrapping: spreads ports out so a freed port is not reused at once.</summary>
    private int Allocate(Dictionary<int, string> taken, HashSet<int> mine)
    {
        lock (_gate)
        {
            for (var n = 0; n < _range.Size; n++)
            {
                var port = _range.First + ((_next + n) % _range.Size);
                if (!taken.ContainsKey(port) && !mine.Contains(port))
                {
                    _next = (_next + n + 1) % _range.Size;
                    return port;
                }
            }

            return 0;
        }
    }

    private static StatusCause Cause(int index, string reason, string message)
        => new() { Field = $"spec.ports[{index}].nodePort", Reason = reason, Message = message };

    private static void Throw(Service service, List<StatusCause> causes)
    {
        if (causes.Count > 0)
        {
            throw StoreException.Invalid(Api.Model.ResourceKinds.Service, service.Metadata.Name, causes);
        }
    }
}
