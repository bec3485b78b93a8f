using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Store;

/// <summary>Generic access to the spec and status of any kind, for the rules that treat them differently (through <see cref="IHasSpecAndStatus"/>).</summary>
internal static class ObjectParts
{
    public static bool HasStatus(Type type) => typeof(IHasSpecAndStatus).IsAssignableFrom(type);

    public static object? GetStatus(KubeObject obj) => (obj as IHasSpecAndStatus)?.StatusValue;

    /// <summary>A private copy of an object's status, without copying its spec and metadata.</summary>
    public static object? CopyStatus(KubeObject obj)
    {
        if (obj is not IHasSpecAndStatus parts || parts.StatusValue is not { } status)
        {
            return null;
        }

        return KubeJson.Deserialize(KubeJson.SerializeToUtf8(status, parts.StatusType), parts.StatusType);
    }

    public static void SetStatus(KubeObject obj, object? status)
    {
        if (obj is IHasSpecAndStatus parts)
        {
            parts.StatusValue = status;
        }
    }

    /// <summary>The spec as JSON bytes; null for kinds without a spec (whose generation never changes).</summary>
    public static byte[]? SpecBytes(KubeObject obj)
    {
        if (obj is not IHasSpecAndStatus parts)
        {
            return null;
        }

        return parts.SpecValue is { } spec ? KubeJson.SerializeToUtf8(spec, parts.SpecType) : Array.Empty<byte>();
    }
}
