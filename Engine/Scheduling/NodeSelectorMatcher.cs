using System.Globalization;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Scheduling;

/// <summary>Node selector terms (required and preferred node affinity): In, NotIn, Exists, DoesNotExist, Gt, Lt on labels; metadata.name in matchFields.</summary>
public static class NodeSelectorMatcher
{
    /// <summary>Terms are ORed; an empty term matches nothing (as in Kubernetes).</summary>
    public static bool MatchesAny(List<NodeSelectorTerm> terms, Node node)
    {
        foreach (var t in terms)
        {
            if (Matches(t, node))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Matches(NodeSelectorTerm term, Node node)
    {
        var exprs = term.MatchExpressions;
        var fields = term.MatchFields;
        if ((exprs == null || exprs.Count == 0) && (fields == null || fields.Count == 0))
        {
            return false;
        }

        foreach (var e in exprs ?? Enumerable.Empty<LabelSelectorRequirement>())
        {
            string? value = null;
            var has = node.Metadata.Labels != null && node.Metadata.Labels.TryGetValue(e.Key, out value);
            if (!Requirement(e, has, value))
            {
                return false;
            }
        }

        foreach (var f in fields ?? Enumerable.Empty<LabelSelectorRequirement>())
        {
            if (f.Key != "metadata.name" || !Requirement(f, true, node.Metadata.Name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Requirement(LabelSelectorRequirement r, bool has, string? value) => r.Operator switch
    {
        "In" => has && r.Values != null && r.Values.Contains(value!),
        "NotIn" => !has || r.Values == null || !r.Values.Contains(value!),
        "Exists" => has,
        "DoesNotExist" => !has,
        "Gt" => has && Compare(value, r.Values) is > 0,
        "Lt" => has && Compare(value, r.Values) is < 0,
        _ => false,
    };

    private static int? Compare(string? value, List<string>? values)
    {
        if (values is not { Count: 1 }
            || !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var a)
            || !long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b))
        {
            return null;
        }

        return a.CompareTo(b);
    }
}
