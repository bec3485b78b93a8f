using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>
/// Which workloads a HorizontalPodAutoscaler scales, live or in the same commit. For those the source leaves
/// <c>spec.replicas</c> to the HPA: an update keeps the live count (no flapping between Git's number and the HPA's, no
/// drift), a create takes Git's, and the plan says so in a note. Flux and Argo CD need this configured by hand.
/// </summary>
public sealed class AutoscaledTargets
{
    private readonly IObjectStore _store;
    private readonly Dictionary<string, string> _fromGit = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _liveByNamespace = new(StringComparer.Ordinal);

    public AutoscaledTargets(IObjectStore store, IEnumerable<DesiredObject> desired)
    {
        _store = store;
        foreach (var d in desired)
        {
            if (d.Object is HorizontalPodAutoscaler hpa && hpa.Spec?.ScaleTargetRef is { } target)
            {
                _fromGit[Key(d.Namespace, target.Kind, target.Name)] = hpa.Name;
            }
        }
    }

    /// <summary>The HPA scaling this workload, or null.</summary>
    public string? HpaFor(DesiredObject d)
    {
        if (d.Object is not (Deployment or StatefulSet or ReplicaSet))
        {
            return null;
        }

        var key = Key(d.Namespace, d.Kind.Kind, d.Name);
        return _fromGit.TryGetValue(key, out var name) ? name : Live(d.Namespace).GetValueOrDefault(key);
    }

    /// <summary>The desired object with the live replica count, when they differ; otherwise the desired object itself.</summary>
    public static KubeObject WithLiveReplicas(KubeObject desired, KubeObject live)
    {
        var liveReplicas = Replicas(live);
        if (liveReplicas == null || liveReplicas == Replicas(desired))
        {
            return desired;
        }

        var copy = KubeJson.Clone(desired);
        switch (copy)
        {
            case Deployment dep:
                dep.Spec!.Replicas = liveReplicas;
                break;
            case StatefulSet set:
                set.Spec!.Replicas = liveReplicas;
                break;
            case ReplicaSet rs:
                rs.Spec!.Replicas = liveReplicas;
                break;
        }

        return copy;
    }

    public static int? Replicas(KubeObject o) => o switch
    {
        Deployment d => d.Spec?.Replicas ?? 1,
        StatefulSet s => s.Spec?.Replicas ?? 1,
        ReplicaSet r => r.Spec?.Replicas ?? 1,
        _ => null,
    };

    private Dictionary<string, string> Live(string? ns)
    {
        ns ??= "";
        if (!_liveByNamespace.TryGetValue(ns, out var map))
        {
            map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in _store.ListPage(ResourceKinds.HorizontalPodAutoscaler, ns, null, null, 0, null).Items)
            {
                if (item.Shared is HorizontalPodAutoscaler { Spec.ScaleTargetRef: { } target } hpa)
                {
                    map[Key(ns, target.Kind, target.Name)] = hpa.Name;
                }
            }

            _liveByNamespace[ns] = map;
        }

        return map;
    }

    private static string Key(string? ns, string kind, string name) => $"{ns}/{kind}/{name}";
}
