using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Controllers.StatefulSets;

namespace GitOrch.Engine.Controllers.DaemonSets;

/// <summary>How a DaemonSet's Pod looks: its template, the tolerations Kubernetes gives every daemon, and bound to its node.</summary>
public static class DaemonSetPods
{
    public const string TemplateGeneration = "pod-template-generation";

    /// <summary>
    /// Kubernetes adds these to every daemon Pod so node trouble does not evict the daemons (log shippers, monitoring)
    /// that help diagnose it, and a cordoned node keeps its daemons.
    /// </summary>
    public static readonly IReadOnlyList<Toleration> DefaultTolerations = new[]
    {
        new Toleration { Key = WellKnownTaints.NotReady, Operator = "Exists", Effect = WellKnownTaints.NoExecute },
        new Toleration { Key = WellKnownTaints.Unreachable, Operator = "Exists", Effect = WellKnownTaints.NoExecute },
        new Toleration { Key = WellKnownTaints.DiskPressure, Operator = "Exists", Effect = WellKnownTaints.NoSchedule },
        new Toleration { Key = WellKnownTaints.MemoryPressure, Operator = "Exists", Effect = WellKnownTaints.NoSchedule },
        new Toleration { Key = WellKnownTaints.PidPressure, Operator = "Exists", Effect = WellKnownTaints.NoSchedule },
        new Toleration { Key = WellKnownTaints.Unschedulable, Operator = "Exists", Effect = WellKnownTaints.NoSchedule },
    };

    /// <summary>The Pod for <paramref name="node"/> (or, with null, the shape used to decide placement).</summary>
    public static Pod New(DaemonSet ds, string revision, string? node)
    {
        var prefix = ds.Metadata.Name!.Length > 57 ? ds.Metadata.Name[..57] + "-" : ds.Metadata.Name + "-";
        var pod = PodTemplates.NewPod(ds, ds.Spec?.Template, NameGenerator.Generate(prefix), new Dictionary<string, string>
        {
            [StatefulSetLabels.RevisionHash] = revision,
            [TemplateGeneration] = (ds.Metadata.Generation ?? 1).ToString(CultureInfo.InvariantCulture),
        });
        var spec = pod.Spec!;
        var tolerations = spec.Tolerations ??= new List<Toleration>();
        foreach (var t in DefaultTolerations)
        {
            if (!tolerations.Any(x => x.Key == t.Key && x.Effect == t.Effect))
            {
                tolerations.Add(new Toleration { Key = t.Key, Operator = t.Operator, Effect = t.Effect });
            }
        }

        if (node != null)
        {
            // Bound by the controller itself (no scheduler round trip), and the affinity says so to anyone reading the Pod.
            spec.NodeName = node;
            StatefulSetPods.PinToNode(spec, node);
        }

        return pod;
    }

    public static bool IsFailed(Pod pod) => pod.Status?.Phase == PodPhases.Failed;

    public static string? RevisionOf(Pod pod) => pod.Metadata.Label(StatefulSetLabels.RevisionHash);

    /// <summary>The node a daemon Pod is for: spec.nodeName, else the node its required affinity names.</summary>
    public static string? NodeOf(Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return pod.Spec.NodeName;
        }

        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        return terms?.SelectMany(t => t.MatchFields ?? new List<LabelSelectorRequirement>())
            .FirstOrDefault(f => f.Key == "metadata.name" && f.Operator == "In" && f.Values is { Count: 1 })?.Values![0];
    }
}
