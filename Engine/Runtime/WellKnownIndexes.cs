using GitOrch.Api.Model;

namespace GitOrch.Engine.Runtime;

/// <summary>Indexes every shared informer carries, so controllers find children and node residents without scanning.</summary>
public static class WellKnownIndexes
{
    /// <summary>Objects by the uid of their controller owner (the ownerReference with controller: true).</summary>
    public const string ControllerUid = "controller-uid";

    /// <summary>Objects by the uid of any owner.</summary>
    public const string OwnerUid = "owner-uid";

    /// <summary>Objects with no controller owner, by namespace: the candidates for adoption.</summary>
    public const string OrphansByNamespace = "orphans";

    /// <summary>Pods by spec.nodeName.</summary>
    public const string PodsByNode = "node";

    public static void Add<T>(Informer<T> informer) where T : KubeObject
    {
        informer.AddIndex(ControllerUid, o => ControllerOf(o) is { } c ? new[] { c.Uid } : Array.Empty<string>());
        informer.AddIndex(OwnerUid, o => o.Metadata.OwnerReferences?.Select(r => r.Uid) ?? Array.Empty<string>());
        informer.AddIndex(OrphansByNamespace, o => ControllerOf(o) == null && o.Metadata.Namespace is { } ns ? new[] { ns } : Array.Empty<string>());
        if (informer is Informer<Pod> pods)
        {
            pods.AddIndex(PodsByNode, p => p.Spec?.NodeName is { Length: > 0 } n ? new[] { n } : Array.Empty<string>());
        }
    }

    public static OwnerReference? ControllerOf(KubeObject obj)
    {
        var refs = obj.Metadata.OwnerReferences;
        if (refs == null)
        {
            return null;
        }

        foreach (var r in refs)
        {
            if (r.Controller == true)
            {
                return r;
            }
        }

        return null;
    }
}
