using GitOrch.Engine.Store;

namespace GitOrch.Engine.Services;

/// <summary>The Service rules that need the store's state; the Engine host adds them to every store it opens.</summary>
public static class ServiceAdmission
{
    /// <summary>
    /// Adds the nodePort, ClusterIP and node podCIDR allocators unless they are there already (idempotent: hosts and
    /// tests may both call it). Throws <see cref="ArgumentException"/> naming a bad CIDR setting.
    /// </summary>
    public static StoreOptions AddServiceAdmission(this StoreOptions options, NodePortRange? range = null, ClusterNetworkOptions? network = null)
    {
        if (!options.Admission.OfType<NodePortAllocator>().Any())
        {
            options.Admission.Add(new NodePortAllocator(range));
        }

        var (cluster, service) = (network ?? new ClusterNetworkOptions()).Validate();
        if (!options.Admission.OfType<ClusterIPAllocator>().Any())
        {
            options.Admission.Add(new ClusterIPAllocator(service));
        }

        if (!options.Admission.OfType<NodeCidrAllocator>().Any())
        {
            options.Admission.Add(new NodeCidrAllocator(cluster, (network ?? new ClusterNetworkOptions()).NodeCidrMaskSize));
        }

        return options;
    }
}
