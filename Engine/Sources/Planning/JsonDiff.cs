using System.Text.Json.Nodes;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>
/// Field-level difference between what Git wants and what is live. It is one-way: every field Git sets
/// must have that value live, but fields Git leaves out (server defaults, status) are not drift.
/// </summary>
public static class JsonDiff
{
    public static void Compare(JsonNode? desired, JsonNode? live, string path, List<FieldChange> into)
    {
        switch (desired)
        {
            case null:
                return;
            case JsonObject d when live is JsonObject l:
                foreach (var (key, value) in d)
                {
                    Compare(value, l[key], path.Length == 0 ? key : path + "." + key, into);
                }

                return;
            case JsonArray d when live is JsonArray l && l.Count == d.Count:
                for (var i = 0; i < d.Count; i++)
                {
                    Compare(d[i], l[i], $"{path}[{i}]", into);
                }

                return;
            default:
                if (!JsonNode.DeepEquals(desired, live))
                {
                    into.Add(new FieldChange(path, live?.ToJsonString(), desired.ToJsonString()));
                }

                return;
        }
    }
}
