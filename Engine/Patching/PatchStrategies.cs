using GitOrch.Api.Model;

namespace GitOrch.Engine.Patching;

/// <summary>
/// The one table of merge keys and strategies, as Kubernetes' API types declare them (k8s.io/api struct tags). Strategic
/// merge patch and the OpenAPI documents' <c>x-kubernetes-patch-merge-key</c>/<c>x-kubernetes-patch-strategy</c> read it.
/// </summary>
public static class PatchStrategies
{
    private static readonly PatchStrategy ByName = new("merge", "name");

    private static readonly Dictionary<(Type Owner, string Field), PatchStrategy> Table = new()
    {
        [(typeof(ObjectMeta), "ownerReferences")] = new("merge", "uid"),
        [(typeof(ObjectMeta), "finalizers")] = new("merge"),
        [(typeof(PodSpec), "containers")] = ByName,
        [(typeof(PodSpec), "initContainers")] = ByName,
        [(typeof(PodSpec), "volumes")] = new("merge,retainKeys", "name"),
        [(typeof(PodSpec), "imagePullSecrets")] = ByName,
        [(typeof(Container), "ports")] = new("merge", "containerPort"),
        [(typeof(Container), "env")] = ByName,
        [(typeof(Container), "volumeMounts")] = new("merge", "mountPath"),
        [(typeof(ServiceSpec), "ports")] = new("merge", "port"),
        [(typeof(DeploymentSpec), "strategy")] = new("retainKeys"),
        [(typeof(NodeStatus), "addresses")] = new("merge", "type"),
        [(typeof(NamespaceSpec), "finalizers")] = new("merge"),
    };

    /// <summary>The strategy of <paramref name="field"/> of <paramref name="owner"/>; every list of conditions merges by <c>type</c>.</summary>
    public static PatchStrategy? For(Type owner, string field, Type fieldType)
    {
        if (Table.TryGetValue((owner, field), out var s))
        {
            return s;
        }

        return fieldType == typeof(List<Condition>) ? new PatchStrategy("merge", "type") : null;
    }
}
