using System;
using System.Collections.Generic;
using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Api.Selectors;

/// <summary>
/// A parsed label selector: equality (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>), set-based (<c>a in (x,y)</c>,
/// <c>a notin (x)</c>), existence (<c>a</c>, <c>!a</c>). The same object serves the query string and
/// the <see cref="LabelSelector"/> of a workload.
/// </summary>
public sealed class Selector
{
    private readonly List<LabelSelectorRequirement> _requirements;

    private Selector(List<LabelSelectorRequirement> requirements) => _requirements = requirements;

    public static Selector Everything { get; } = new(new List<LabelSelectorRequirement>());

    /// <summary>A LabelSelector with neither matchLabels nor matchExpressions matches nothing in workloads but everything here; callers decide.</summary>
    public bool IsEmpty => _requirements.Count == 0;

    public IReadOnlyList<LabelSelectorRequirement> Requirements => _requirements;

    public static Selector FromLabels(IDictionary<string, string>? labels)
        => new((labels ?? new Dictionary<string, string>()).Select(kv => new LabelSelectorRequirement { Key = kv.Key, Operator = "In", Values = new List<string> { kv.Value } }).ToList());

    public static Selector FromLabelSelector(LabelSelector? selector)
    {
        var reqs = new List<LabelSelectorRequirement>();
        if (selector?.MatchLabels != null)
        {
            reqs.AddRange(selector.MatchLabels.Select(kv => new LabelSelectorRequirement { Key = kv.Key, Operator = "In", Values = new List<string> { kv.Value } }));
        }

        if (selector?.MatchExpressions != null)
        {
            foreach (var e in selector.MatchExpressions)
            {
                Validate(e);
                reqs.Add(e);
            }
        }

        return new Selector(reqs);
    }

    /// <summary>Parses the string form used by <c>?labelSelector=</c> and <c>-Selector</c>.</summary>
    public static Selector Parse(string? text)
    {
        var reqs = new List<LabelSelectorRequirement>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Selector(reqs);
        }

        foreach (var raw in SplitTopLevel(text!))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                throw new FormatException($"invalid label selector \"{text}\": empty term");
            }

            reqs.Add(ParseTerm(term, text!));
        }

        return new Selector(reqs);
    }

    public bool Matches(IDictionary<string, string>? labels)
    {
        foreach (var r in _requirements)
        {
            string? value = null;
            var has = labels != null && labels.TryGetValue(r.Key, out value);
            var ok = r.Operator switch
            {
                "In" => has && r.Values!.Contains(value!),
                "NotIn" => !has || !r.Values!.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => string.Join(",", _requirements.Select(r => r.Operator switch
    {
        "In" when r.Values!.Count == 1 => $"{r.Key}={r.Values[0]}",
        "In" => $"{r.Key} in ({string.Join(",", r.Values!)})",
        "NotIn" => $"{r.Key} notin ({string.Join(",", r.Values!)})",
        "Exists" => r.Key,
        _ => "!" + r.Key,
    }));

    private static void Validate(LabelSelectorRequirement e)
    {
        switch (e.Operator)
        {
            case "In" or "NotIn" when e.Values == null || e.Values.Count == 0:
                throw new FormatException($"matchExpressions[{e.Key}]: operator {e.Operator} needs values");
            case "Exists" or "DoesNotExist" when e.Values != null && e.Values.Count > 0:
                throw new FormatException($"matchExpressions[{e.Key}]: operator {e.Operator} takes no values");
            case "In" or "NotIn" or "Exists" or "DoesNotExist":
                return;
            default:
                throw new FormatException($"matchExpressions[{e.Key}]: unknown operator \"{e.Operator}\"");
        }
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text.Substring(start, i - start);
                start = i + 1;
            }
        }

        yield return text.Substring(start);
    }

    private static LabelSelectorRequirement ParseTerm(string term, string text)
    {
        var lower = term;
        foreach (var (word, op) in new[] { (" notin ", "NotIn"), (" in ", "In") })
        {
            var at = lower.IndexOf(word, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = term.Substring(0, at).Trim();
                var rest = term.Substring(at + word.Length).Trim();
                if (!rest.StartsWith("(", StringComparison.Ordinal) || !rest.EndsWith(")", StringComparison.Ordinal))
                {
                    throw new FormatException($"invalid label selector \"{text}\": expected ( after {op.ToLowerInvariant()}");
                }

                var values = rest.Substring(1, rest.Length - 2).Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
                return new LabelSelectorRequirement { Key = CheckKey(key, text), Operator = op, Values = values };
            }
        }

        if (term.StartsWith("!", StringComparison.Ordinal))
        {
            return new LabelSelectorRequirement { Key = CheckKey(term.Substring(1).Trim(), text), Operator = "DoesNotExist" };
        }

        var ne = term.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0)
        {
            return new LabelSelectorRequirement { Key = CheckKey(term.Substring(0, ne).Trim(), text), Operator = "NotIn", Values = new List<string> { term.Substring(ne + 2).Trim() } };
        }

        var eq = term.IndexOf('=');
        if (eq > 0)
        {
            var valueStart = eq + 1 < term.Length && term[eq + 1] == '=' ? eq + 2 : eq + 1;
            return new LabelSelectorRequirement { Key = CheckKey(term.Substring(0, eq).Trim(), text), Operator = "In", Values = new List<string> { term.Substring(valueStart).Trim() } };
        }

        return new LabelSelectorRequirement { Key = CheckKey(term, text), Operator = "Exists" };
    }

    private static string CheckKey(string key, string text)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c == '(' || c == ')' || c == '='))
        {
            throw new FormatException($"invalid label selector \"{text}\": bad key \"{key}\"");
        }

        return key;
    }
}
