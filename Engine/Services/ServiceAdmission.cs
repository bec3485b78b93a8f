using GitOrch.Engine.Store;

namespace GitOrch.Engine.Services;

/// <summary>The Service rules that need the store's state; the Engine host adds them to every store it opens.</summary>
public static class ServiceAdmission
{
    /// <summary>Adds the nodePort allocator unless one is there already (idempotent: hosts and tests may both call it).</summary>
    public static StoreOptions AddServiceAdmission(this StoreOptions options, NodePortRange? range = null)
    {
        if (!options.Admission.OfType<NodePortAllocator>().Any())
        {
            options.Admission.Add(new NodePortAllocator(range));
        }

        return options;
    }
}
