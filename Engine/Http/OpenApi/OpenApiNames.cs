using GitOrch.Api.Model;

namespace GitOrch.Engine.Http.OpenApi;

/// <summary>
/// Definition names as Kubernetes spells them (<c>io.k8s.api.core.v1.Pod</c>, <c>io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta</c>),
/// so tools that look a definition up by name (kubectl's explain, client generators) find the one they know. A type
/// shared by several groups (PodSpec) takes the group of the first kind in <see cref="ResourceKinds.All"/> that uses it.
/// </summary>
internal static class OpenApiNames
{
    public const string Time = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    private static readonly HashSet<Type> MetaTypes =
    [
        typeof(ObjectMeta), typeof(OwnerReference), typeof(ListMeta), typeof(LabelSelector), typeof(LabelSelectorRequirement),
        typeof(Condition), typeof(Status), typeof(StatusDetails), typeof(StatusCause),
    ];

    public static string Prefix(string group, string version) => group switch
    {
        "" => $"io.k8s.api.core.{version}.",
        _ when group.EndsWith(".io", StringComparison.Ordinal) && !group.EndsWith("k8s.io", StringComparison.Ordinal)
            => "io." + string.Join('.', group[..^3].Split('.').Reverse()) + "." + version + ".",
        _ => $"io.k8s.api.{group.Split('.')[0]}.{version}.",
    };

    public static string For(Type type, string groupPrefix) => MetaTypes.Contains(type) ? Meta + type.Name : groupPrefix + type.Name;
}
