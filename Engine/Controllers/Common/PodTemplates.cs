using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>
/// Making a Pod from a workload's template (Jobs, StatefulSets, DaemonSets): a private deep copy of the template, the
/// workload as controller owner, and extra labels the controller keys its Pods by.
/// </summary>
public static class PodTemplates
{
    public static Pod NewPod(KubeObject owner, PodTemplateSpec? template, string name, IReadOnlyDictionary<string, string>? extraLabels = null)
    {
        var copy = template == null ? new PodTemplateSpec() : KubeJson.Clone(template);
        var labels = copy.Metadata?.Labels ?? new Dictionary<string, string>();
        if (extraLabels != null)
        {
            foreach (var kv in extraLabels)
            {
                labels[kv.Key] = kv.Value;
            }
        }

        return new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = owner.Metadata.Namespace,
                Labels = labels.Count == 0 ? null : labels,
                Annotations = copy.Metadata?.Annotations,
                OwnerReferences = new List<OwnerReference> { Owners.ControllerRef(owner) },
            },
            Spec = copy.Spec ?? new PodSpec(),
        };
    }

    /// <summary>Whether two status objects would serialize the same (so an unchanged status is not written again).</summary>
    public static bool SameJson<T>(T a, T b) => KubeJson.Serialize(a) == KubeJson.Serialize(b);
}
