using GitOrch.Api.Model;

namespace GitOrch.Engine.Http;

/// <summary>
/// The <c>fieldSelector</c> query: comma-separated <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>
/// terms over the few fields Kubernetes indexes and clients rely on (an agent's <c>spec.nodeName=</c>, the
/// scheduler's unbound pods <c>spec.nodeName=</c> with an empty value).
/// </summary>
internal static class FieldSelector
{
    private static readonly Dictionary<string, Func<KubeObject, string?>> Common = new(StringComparer.Ordinal)
    {
        ["metadata.name"] = o => o.Metadata.Name,
        ["metadata.namespace"] = o => o.Metadata.Namespace,
    };

    private static readonly Dictionary<string, Func<KubeObject, string?>> PodFields = new(Common, StringComparer.Ordinal)
    {
        ["spec.nodeName"] = o => ((Pod)o).Spec?.NodeName,
        ["status.phase"] = o => ((Pod)o).Status?.Phase,
    };

    private static readonly Dictionary<string, Func<KubeObject, string?>> NamespaceFields = new(Common, StringComparer.Ordinal)
    {
        ["status.phase"] = o => ((Namespace)o).Status?.Phase,
    };

    private static readonly Dictionary<string, Func<KubeObject, string?>> EventFields = new(Common, StringComparer.Ordinal)
    {
        ["involvedObject.kind"] = o => ((Event)o).InvolvedObject?.Kind,
        ["involvedObject.name"] = o => ((Event)o).InvolvedObject?.Name,
        ["involvedObject.namespace"] = o => ((Event)o).InvolvedObject?.Namespace,
        ["involvedObject.uid"] = o => ((Event)o).InvolvedObject?.Uid,
        ["reason"] = o => ((Event)o).Reason,
        ["type"] = o => ((Event)o).Type,
    };

    /// <summary>
    /// X when a Pod selector requires <c>spec.nodeName=X</c> (X not empty): the store can then offer the watch only
    /// that node's Pod changes. null otherwise (the unbound-Pods selector <c>spec.nodeName=</c> must see Pods leave).
    /// </summary>
    public static string? RequiredNodeName(string? text, ResourceKind kind)
    {
        if (kind != ResourceKinds.Pod || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            if (term.Contains("!=", StringComparison.Ordinal))
            {
                continue;
            }

            var at = term.IndexOf('=');
            if (at > 0 && term[..at].Trim() == "spec.nodeName")
            {
                var value = term[(at + 1)..].TrimStart('=').Trim();
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }

    /// <summary>A predicate, or null when the selector is empty. FormatException (400) for bad syntax or unsupported fields.</summary>
    public static Func<KubeObject, bool>? Parse(string? text, ResourceKind kind)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var fields = kind == ResourceKinds.Pod ? PodFields
            : kind == ResourceKinds.Namespace ? NamespaceFields
            : kind == ResourceKinds.Event ? EventFields
            : Common;
        var terms = new List<(Func<KubeObject, string?> Get, string Value, bool Equal)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (op, at) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and >= 0 ? ("!=", ne)
                : term.IndexOf("==", StringComparison.Ordinal) is var ee and >= 0 ? ("==", ee)
                : ("=", term.IndexOf('='));
            if (at <= 0)
            {
                throw new FormatException($"invalid field selector \"{text}\": \"{term}\" is not field=value, field==value or field!=value");
            }

            var field = term[..at].Trim();
            if (!fields.TryGetValue(field, out var get))
            {
                throw new FormatException($"field label not supported: \"{field}\" for {kind.Plural} (supported: {string.Join(", ", fields.Keys)})");
            }

            terms.Add((get, term[(at + op.Length)..].Trim(), op != "!="));
        }

        return o =>
        {
            foreach (var (get, value, equal) in terms)
            {
                if (string.Equals(get(o) ?? "", value, StringComparison.Ordinal) != equal)
                {
                    return false;
                }
            }

            return true;
        };
    }
}
