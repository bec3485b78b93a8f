using System.Net;
using GitOrch.Api.Model;
using GitOrch.Api.Networking;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Services;

/// <summary>
/// Gives every Service a virtual IP (<c>spec.clusterIP</c> and <c>spec.clusterIPs</c>) from the service CIDR, as
/// kube-apiserver's allocator does, and refuses addresses that are taken, outside the range or changed after
/// creation (422 Invalid with the field path). <c>clusterIP: None</c> makes a headless Service and is kept. Like
/// <see cref="NodePortAllocator"/> it is an admission plugin: it runs inside the store's committer, in order with
/// every other write, so two Services created together never get one address and no lock of its own is needed.
/// The network and broadcast addresses are never given out.
/// </summary>
public sealed class ClusterIPAllocator : IAdmissionPlugin
{
    public const string None = "None";
    private readonly Ipv4Cidr _range;
    private readonly object _gate = new();
    private long _next;

    public ClusterIPAllocator(Ipv4Cidr range)
    {
        _range = range;
    }

    public Ipv4Cidr Range => _range;

    public void Admit(StoreVerb verb, KubeObject obj, KubeObject? old, IStoreView view)
    {
        if (obj is not Service service || verb is not (StoreVerb.Create or StoreVerb.Update))
        {
            return;
        }

        var spec = service.Spec ??= new ServiceSpec();
        var before = (old as Service)?.Spec?.ClusterIP;
        var wanted = string.IsNullOrEmpty(spec.ClusterIP) ? spec.ClusterIPs?.FirstOrDefault() : spec.ClusterIP;

        // An update that leaves clusterIP out keeps the address it had, so re-applying a manifest from Git never
        // moves a Service's address; changing it is refused, as in Kubernetes.
        if (string.IsNullOrEmpty(wanted) && !string.IsNullOrEmpty(before))
        {
            wanted = before;
        }

        if (!string.IsNullOrEmpty(before) && !string.Equals(wanted, before, StringComparison.OrdinalIgnoreCase))
        {
            Throw(service, "FieldValueInvalid", $"Invalid value: \"{wanted}\": field is immutable");
        }

        if (string.Equals(wanted, None, StringComparison.OrdinalIgnoreCase))
        {
            Set(spec, None);
            return;
        }

        var taken = TakenByOthers(service, view);
        if (string.IsNullOrEmpty(wanted))
        {
            Set(spec, Allocate(service, taken).ToString());
            return;
        }

        if (!IPAddress.TryParse(wanted, out var ip) || !_range.Contains(ip))
        {
            Throw(service, "FieldValueInvalid", $"Invalid value: \"{wanted}\": provided IP is not in the valid range. The range of valid IPs is {_range}");
        }
        else if (string.IsNullOrEmpty(before) && taken.TryGetValue(Ipv4Cidr.ToNumber(ip), out var owner))
        {
            Throw(service, "FieldValueInvalid", $"Invalid value: \"{wanted}\": provided IP is already allocated (by service {owner})");
        }

        Set(spec, ip!.ToString());
    }

    private static void Set(ServiceSpec spec, string ip)
    {
        spec.ClusterIP = ip;
        spec.ClusterIPs = [ip];
    }

    /// <summary>ClusterIPs held by every other Service, to the "namespace/name" that holds each.</summary>
    private static Dictionary<uint, string> TakenByOthers(Service service, IStoreView view)
    {
        var taken = new Dictionary<uint, string>();
        foreach (var o in view.List(ResourceKinds.Service))
        {
            if (o is Service other && !(other.Metadata.Namespace == service.Metadata.Namespace && other.Metadata.Name == service.Metadata.Name)
                && IPAddress.TryParse(other.Spec?.ClusterIP, out var ip))
            {
                taken[Ipv4Cidr.ToNumber(ip)] = other.Metadata.Namespace + "/" + other.Metadata.Name;
            }
        }

        return taken;
    }

    /// <summary>The next free address after the last one given, wrapping, so a freed address is not reused at once.</summary>
    private IPAddress Allocate(Service service, Dictionary<uint, string> taken)
    {
        var usable = _range.Size - 2;
        lock (_gate)
        {
            for (long n = 0; n < usable; n++)
            {
                var offset = 1 + ((_next + n) % usable);
                var candidate = (uint)(_range.Network + offset);
                if (!taken.ContainsKey(candidate))
                {
                    _next = (_next + n + 1) % usable;
                    return Ipv4Cidr.ToAddress(candidate);
                }
            }
        }

        Throw(service, "FieldValueInvalid", $"Invalid value: \"\": range {_range} is full: no ClusterIP left to allocate");
        return IPAddress.None;
    }

    private static void Throw(Service service, string reason, string message)
        => throw StoreException.Invalid(ResourceKinds.Service, service.Metadata.Name,
            new List<StatusCause> { new() { Field = "spec.clusterIP", Reason = reason, Message = message } });
}
