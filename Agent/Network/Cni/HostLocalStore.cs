using System.Net;

namespace GitOrch.Agent.Network.Cni;

/// <summary>
/// The on-disk reservations of CNI's host-local IPAM plugin: one file per address, named by the address, holding the
/// container id (and interface) that holds it. An agent killed between a sandbox's ADD and its record leaves such a
/// file behind with nobody to DEL it; <see cref="Reconcile"/> at start releases every address whose holder is not one
/// of this node's sandboxes any more, so no address leaks.
/// </summary>
public sealed class HostLocalStore(string networkDir)
{
    public string Directory => networkDir;

    /// <summary>Address to holder container id, for every reservation.</summary>
    public Dictionary<string, string> Reservations()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!System.IO.Directory.Exists(networkDir))
        {
            return result;
        }

        foreach (var file in System.IO.Directory.GetFiles(networkDir))
        {
            var name = Path.GetFileName(file);
            if (IPAddress.TryParse(name, out _))
            {
                var holder = File.ReadAllText(file).Split('\n', 2)[0].Trim();
                result[name] = holder;
            }
        }

        return result;
    }

    /// <summary>Releases addresses held by containers not in <paramref name="liveContainerIds"/>; returns them.</summary>
    public IReadOnlyList<string> Reconcile(IReadOnlySet<string> liveContainerIds)
    {
        var released = new List<string>();
        foreach (var (ip, holder) in Reservations())
        {
            if (!liveContainerIds.Contains(holder))
            {
                File.Delete(Path.Combine(networkDir, ip));
                released.Add(ip);
            }
        }

        return released;
    }
}
