using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Patching;

/// <summary>What a JSON value of the wire format is, read from the C# model type that carries it.</summary>
public enum WireShape
{
    Scalar,
    Object,
    Map,
    List,
}

/// <summary>
/// The shape of one model type on the wire, by reflection over the Api model: its JSON fields (named as
/// <c>KubeJson</c> names them), map value type or list element type. Strategic merge patch walks it to find each
/// list's merge key, and the OpenAPI documents are generated from it, so both read the same description.
/// </summary>
public sealed class WireType
{
    private static readonly ConcurrentDictionary<Type, WireType> Cache = new();
    private readonly Lazy<IReadOnlyList<WireField>> _fields;

    private WireType(Type clr)
    {
        Clr = Nullable.GetUnderlyingType(clr) ?? clr;
        Shape = ShapeOf(Clr, out var item);
        ItemClr = item;
        _fields = new Lazy<IReadOnlyList<WireField>>(() => Shape == WireShape.Object ? ReadFields(Clr) : []);
    }

    public Type Clr { get; }

    public WireShape Shape { get; }

    /// <summary>The element type of a list, the value type of a map; null otherwise.</summary>
    public Type? ItemClr { get; }

    public WireType? Item => ItemClr == null ? null : Of(ItemClr);

    /// <summary>The JSON fields of an object type, in declaration order (base class fields first).</summary>
    public IReadOnlyList<WireField> Fields => _fields.Value;

    public static WireType Of(Type clr) => Cache.GetOrAdd(clr, t => new WireType(t));

    public WireField? Field(string jsonName)
    {
        foreach (var f in Fields)
        {
            if (f.JsonName == jsonName)
            {
                return f;
            }
        }

        return null;
    }

    private static WireShape ShapeOf(Type t, out Type? item)
    {
        item = null;
        if (t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(DateTimeOffset) || t == typeof(DateTime)
            || t == typeof(JsonElement) || t == typeof(IntOrString) || t == typeof(Quantity) || t.GetCustomAttribute<JsonConverterAttribute>() != null)
        {
            return WireShape.Scalar;
        }

        var dictionary = t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? t : t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary != null)
        {
            item = dictionary.GetGenericArguments()[1];
            return WireShape.Map;
        }

        var list = t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) ? t : t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>));
        if (list != null || t.IsArray)
        {
            item = t.IsArray ? t.GetElementType() : list!.GetGenericArguments()[0];
            return WireShape.List;
        }

        return WireShape.Object;
    }

    private static List<WireField> ReadFields(Type t)
    {
        var chain = new List<Type>();
        for (var c = t; c != null && c != typeof(object); c = c.BaseType)
        {
            chain.Insert(0, c);
        }

        var fields = new List<WireField>();
        foreach (var c in chain)
        {
            foreach (var p in c.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (p.GetIndexParameters().Length > 0 || p.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always }
                    || p.GetCustomAttribute<JsonExtensionDataAttribute>() != null || p.GetMethod == null || p.SetMethod == null)
                {
                    continue;
                }

                var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name);
                fields.Add(new WireField(name, p, t));
            }
        }

        return fields;
    }
}

/// <summary>One JSON field of an object type, with the patch strategy Kubernetes declares for it.</summary>
public sealed class WireField
{
    internal WireField(string jsonName, PropertyInfo property, Type owner)
    {
        JsonName = jsonName;
        Property = property;
        Strategy = PatchStrategies.For(owner, jsonName, property.PropertyType);
    }

    public string JsonName { get; }

    public PropertyInfo Property { get; }

    public WireType Type => WireType.Of(Property.PropertyType);

    /// <summary>Merge strategy and key (lists), or retainKeys (unions); null: replace.</summary>
    public PatchStrategy? Strategy { get; }

    /// <summary>
    /// Declared non-nullable (not a bool, which is false when absent, nor an object's metadata, which the server
    /// fills): the model always writes it, and these are the fields Kubernetes marks required.
    /// </summary>
    public bool Required => JsonName != "metadata" && Property.PropertyType != typeof(bool)
        && new NullabilityInfoContext().Create(Property).WriteState == NullabilityState.NotNull;
}
