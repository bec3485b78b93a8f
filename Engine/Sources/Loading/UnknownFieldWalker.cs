using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// Finds every field the typed model did not take (they sit in <see cref="Extensible.UnknownFields"/>)
/// together with its JSON path, so the loader can warn "file:line: field X is not implemented".
/// </summary>
public static class UnknownFieldWalker
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Prop, string Name)[]> Props = new();

    public static void Walk(object? value, string path, Action<string> onUnknown)
    {
        switch (value)
        {
            case null or string or JsonElement:
                return;
            case Extensible ext:
                if (ext.UnknownFields != null)
                {
                    foreach (var key in ext.UnknownFields.Keys)
                    {
                        onUnknown(LineMap.Child(path, key));
                    }
                }

                foreach (var (prop, name) in PropertiesOf(ext.GetType()))
                {
                    Walk(prop.GetValue(ext), LineMap.Child(path, name), onUnknown);
                }

                return;
            case IDictionary dict:
                foreach (DictionaryEntry e in dict)
                {
                    if (e.Value is Extensible or IEnumerable and not string)
                    {
                        Walk(e.Value, LineMap.Child(path, e.Key.ToString() ?? ""), onUnknown);
                    }
                }

                return;
            case IList list:
                for (var i = 0; i < list.Count; i++)
                {
                    Walk(list[i], LineMap.Index(path, i), onUnknown);
                }

                return;
        }
    }

    private static (PropertyInfo, string)[] PropertiesOf(Type type) => Props.GetOrAdd(type, t => t
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() == null && p.GetCustomAttribute<JsonExtensionDataAttribute>() == null)
        .Where(p => !p.PropertyType.IsPrimitive && !p.PropertyType.IsEnum && p.PropertyType != typeof(string) && Nullable.GetUnderlyingType(p.PropertyType) == null)
        .Select(p => (p, p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name)))
        .ToArray());
}
