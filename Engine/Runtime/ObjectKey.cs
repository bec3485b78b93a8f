using GitOrch.Api.Model;

namespace GitOrch.Engine.Runtime;

/// <summary>What a work queue holds: the namespace and name of an object, never the object itself, so a reconcile always reads the latest state.</summary>
/// <remarks><see cref="Kind"/> is set only by reconcilers that handle several kinds (the garbage collector).</remarks>
public readonly record struct ObjectKey(string? Namespace, string Name, ResourceKind? Kind = null)
{
    public static ObjectKey Of(KubeObject obj) => new(obj.Metadata.Namespace, obj.Metadata.Name ?? "");

    public static ObjectKey WithKind(KubeObject obj) => new(obj.Metadata.Namespace, obj.Metadata.Name ?? "", ResourceKinds.Of(obj));

    public override string ToString() => Namespace == null ? Name : Namespace + "/" + Name;
}
