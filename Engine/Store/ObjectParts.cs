using System.Collections.Concurrent;
using System.Reflection;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Store;

/// <summary>Generic access to the spec and status of any kind, for the rules that treat them differently.</summary>
internal static class ObjectParts
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo? Spec, PropertyInfo? Status)> Props = new();

    public static bool HasStatus(Type type) => PropsOf(type).Status != null;

    public static object? GetStatus(KubeObject obj) => PropsOf(obj.GetType()).Status?.GetValue(obj);

    /// <summary>A private copy of an object's status, without copying its spec and metadata.</summary>
    public static object? CopyStatus(KubeObject obj)
    {
        var p = PropsOf(obj.GetType()).Status;
        var status = p?.GetValue(obj);
        return status == null ? null : KubeJson.Deserialize(KubeJson.SerializeToUtf8(status, p!.PropertyType), p.PropertyType);
    }

    public static void SetStatus(KubeObject obj, object? status) => PropsOf(obj.GetType()).Status?.SetValue(obj, status);

    /// <summary>The spec as JSON bytes; null for kinds without a spec (whose generation never changes).</summary>
    public static byte[]? SpecBytes(KubeObject obj)
    {
        var p = PropsOf(obj.GetType()).Spec;
        if (p == null)
        {
            return null;
        }

        var spec = p.GetValue(obj);
        return spec == null ? Array.Empty<byte>() : KubeJson.SerializeToUtf8(spec, p.PropertyType);
    }

    private static (PropertyInfo? Spec, PropertyInfo? Status) PropsOf(Type type) => Props.GetOrAdd(type, t =>
    {
        for (var b = t; b != null; b = b.BaseType)
        {
            if (b.IsGenericType && b.GetGenericTypeDefinition() == typeof(KubeObject<,>))
            {
                return (t.GetProperty("Spec"), t.GetProperty("Status"));
            }
        }

        return (null, null);
    });
}
