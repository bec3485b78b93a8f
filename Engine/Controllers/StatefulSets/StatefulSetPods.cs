using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Common;

namespace GitOrch.Engine.Controllers.StatefulSets;

/// <summary>
/// The stable identity of a StatefulSet's Pods: the name "&lt;set&gt;-&lt;ordinal&gt;", hostname and subdomain for
/// "&lt;pod&gt;.&lt;service&gt;.&lt;namespace&gt;.svc", one volume per claim template named
/// "&lt;claim&gt;-&lt;set&gt;-&lt;ordinal&gt;" (the agent makes it a Docker named volume), and, once the volumes exist
/// on a node, required node affinity to that node.
/// </summary>
public static class StatefulSetPods
{
    public static string PodName(StatefulSet set, int ordinal) => $"{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    public static string ClaimName(string claim, StatefulSet set, int ordinal) => $"{claim}-{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The ordinal of a Pod named "&lt;set&gt;-&lt;n&gt;", or -1 for any other name.</summary>
    public static int OrdinalOf(StatefulSet set, Pod pod)
    {
        var name = pod.Metadata.Name ?? "";
        var prefix = set.Metadata.Name + "-";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return -1;
        }

        var rest = name.AsSpan(prefix.Length);
        return rest.Length > 0 && (rest.Length == 1 || rest[0] != '0') && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    public static Pod New(StatefulSet set, int ordinal, string revision, PodTemplateSpec template, string? volumeNode)
    {
        var name = PodName(set, ordinal);
        var pod = PodTemplates.NewPod(set, template, name, new Dictionary<string, string>
        {
            [StatefulSetLabels.PodName] = name,
            [StatefulSetLabels.PodIndex] = ordinal.ToString(CultureInfo.InvariantCulture),
            [StatefulSetLabels.RevisionHash] = revision,
        });
        var spec = pod.Spec!;
        spec.Hostname = name;
        if (!string.IsNullOrEmpty(set.Spec?.ServiceName))
        {
            spec.Subdomain = set.Spec.ServiceName;
        }

        var claims = set.Spec?.VolumeClaimTemplates;
        if (claims is { Count: > 0 })
        {
            spec.Volumes ??= new List<Volume>();
            foreach (var claim in claims)
            {
                var claimName = claim.Metadata.Name ?? "data";

                // As in Kubernetes, the claim replaces a template volume of the same name.
                spec.Volumes.RemoveAll(v => v.Name == claimName);
                spec.Volumes.Add(new Volume
                {
                    Name = claimName,
                    PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = ClaimName(claimName, set, ordinal) },
                });
            }

            if (!string.IsNullOrEmpty(volumeNode))
            {
                PinToNode(spec, volumeNode);
            }
        }

        return pod;
    }

    /// <summary>Adds "metadata.name In [node]" to every required node affinity term (or makes the only term), so the scheduler can only pick that node.</summary>
    public static void PinToNode(PodSpec spec, string node)
    {
        var affinity = spec.Affinity ??= new Affinity();
        var nodeAffinity = affinity.NodeAffinity ??= new NodeAffinity();
        var required = nodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution ??= new NodeSelector();
        if (required.NodeSelectorTerms.Count == 0)
        {
            required.NodeSelectorTerms.Add(new NodeSelectorTerm());
        }

        foreach (var term in required.NodeSelectorTerms)
        {
            (term.MatchFields ??= new List<LabelSelectorRequirement>()).Add(new LabelSelectorRequirement
            {
                Key = "metadata.name",
                Operator = "In",
                Values = new List<string> { node },
            });
        }
    }

    /// <summary>Running and Ready: what OrderedReady waits for before touching the next ordinal.</summary>
    public static bool IsRunningAndReady(Pod pod)
        => pod.Metadata.DeletionTimestamp == null && pod.Status?.Phase == PodPhases.Running && PodState.IsReady(pod);

    public static bool IsFinished(Pod pod) => PodPhases.IsTerminal(pod.Status?.Phase);

    public static string? RevisionOf(Pod pod) => pod.Metadata.Label(StatefulSetLabels.RevisionHash);
}
