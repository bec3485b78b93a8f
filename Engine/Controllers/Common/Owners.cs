using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>Owner references: building the controller reference, adopting and releasing.</summary>
public static class Owners
{
    public static OwnerReference ControllerRef(KubeObject owner)
    {
        var kind = ResourceKinds.Of(owner);
        return new OwnerReference
        {
            ApiVersion = kind.ApiVersion,
            Kind = kind.Kind,
            Name = owner.Metadata.Name ?? "",
            Uid = owner.Metadata.Uid ?? "",
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>Sets <paramref name="owner"/> as controller of <paramref name="child"/> (a private copy).</summary>
    public static void Adopt(KubeObject child, KubeObject owner)
    {
        var refs = child.Metadata.OwnerReferences ??= new List<OwnerReference>();
        refs.RemoveAll(r => r.Uid == owner.Metadata.Uid);
        refs.Add(ControllerRef(owner));
    }

    /// <summary>Removes every reference to <paramref name="ownerUid"/> from <paramref name="child"/> (a private copy).</summary>
    public static bool Release(KubeObject child, string ownerUid)
    {
        var refs = child.Metadata.OwnerReferences;
        if (refs == null || refs.RemoveAll(r => r.Uid == ownerUid) == 0)
        {
            return false;
        }

        if (refs.Count == 0)
        {
            child.Metadata.OwnerReferences = null;
        }

        return true;
    }
}
