using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Runtime;

/// <summary>What a work queue holds: the namespace and name of an object, never the object itself, so a reconcile always reads the latest state.</summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey Of(KubeObject obj) => new(obj.Metadata.Namespace, obj.Metadata.Name ?? "");

    public override string ToString() => Namespace == null ? Name : Namespace + "/" + Name;
}
