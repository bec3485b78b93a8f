using GitOrch.Api.Model;

namespace GitOrch.Engine.Defaulting;

/// <summary>
/// A Pod's QoS class, Kubernetes' rule: Guaranteed when every container has cpu and memory limits equal to its
/// requests (requests default to limits), BestEffort when no container requests or limits anything, Burstable otherwise.
/// </summary>
public static class PodQos
{
    public const string Guaranteed = "Guaranteed";
    public const string Burstable = "Burstable";
    public const string BestEffort = "BestEffort";

    private static readonly string[] Compute = ["cpu", "memory"];

    public static string Of(PodSpec spec)
    {
        var containers = spec.Containers.Concat(spec.InitContainers ?? []).ToList();
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var limits = c.Resources?.Limits ?? [];
            var requests = c.Resources?.Requests ?? [];
            any |= Compute.Any(r => limits.ContainsKey(r) || requests.ContainsKey(r));
            foreach (var r in Compute)
            {
                var hasLimit = limits.TryGetValue(r, out var limit);
                var request = requests.TryGetValue(r, out var q) ? q : limit;
                guaranteed &= hasLimit && request.Equals(limit);
            }
        }

        return !any ? BestEffort : guaranteed ? Guaranteed : Burstable;
    }
}
