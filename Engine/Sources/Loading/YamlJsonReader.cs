using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// Reads a multi-document YAML file into JSON trees while remembering the line of every value.
/// It drives YamlDotNet's parser directly rather than its deserializer because it needs node positions
/// (for file:line messages) and control over alias expansion (an alias bomb is stopped by counting the
/// nodes an alias would copy before copying them).
/// </summary>
public sealed class YamlJsonReader
{
    private readonly LoaderLimits _limits;

    public YamlJsonReader(LoaderLimits? limits = null) => _limits = limits ?? LoaderLimits.Default;

    /// <summary>Parses <paramref name="text"/>; documents that parse are returned, failures become issues.</summary>
    public IReadOnlyList<YamlDocument> Read(string file, string text, List<ManifestIssue> errors)
    {
        var documents = new List<YamlDocument>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                // The object's line is where its content starts, not the "---" before it.
                var firstLine = parser.Current is { } first and not DocumentEnd ? (int)first.Start.Line : (int)start.Start.Line;
                var state = new DocState(file, firstLine, _limits);
                JsonNode? root = null;
                if (!parser.Accept<DocumentEnd>(out _))
                {
                    root = ReadNode(parser, state, "$", 0);
                }

                var end = parser.Consume<DocumentEnd>();
                if (end.End.Index - start.Start.Index > _limits.MaxDocumentBytes)
                {
                    throw new ManifestException(state.Line, $"document is larger than {_limits.MaxDocumentBytes} bytes");
                }

                if (root == null)
                {
                    continue; // empty documents ("---" alone, comments only) are allowed and ignored
                }

                if (root is not JsonObject obj)
                {
                    throw new ManifestException(state.Line, "document is not a mapping (expected apiVersion, kind, metadata, ...)");
                }

                documents.Add(new YamlDocument(file, state.Line, obj, state.Lines));
            }

            parser.Consume<StreamEnd>();
        }
        catch (ManifestException e)
        {
            errors.Add(new ManifestIssue(file, e.Line, e.Message));
        }
        catch (YamlException e)
        {
            errors.Add(new ManifestIssue(file, (int)e.Start.Line, "invalid YAML: " + StripPosition(e.Message)));
        }

        return documents;
    }

    private static JsonNode? ReadNode(IParser parser, DocState state, string path, int depth)
    {
        if (depth > state.Limits.MaxDepth)
        {
            throw new ManifestException((int)parser.Current!.Start.Line, $"document nests deeper than {state.Limits.MaxDepth} levels");
        }

        var ev = parser.Current ?? throw new ManifestException(state.Line, "unexpected end of YAML");
        var line = (int)ev.Start.Line;
        state.Lines.Add(path, line);
        switch (ev)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!state.Anchors.TryGetValue(alias.Value.Value, out var anchored))
                {
                    throw new ManifestException(line, $"unknown alias *{alias.Value.Value}");
                }

                // Count before copying: this is what stops "billion laughs".
                state.Count(anchored.Nodes, line);
                return anchored.Node?.DeepClone();

            case Scalar scalar:
                parser.MoveNext();
                state.Count(1, line);
                var value = ScalarValue(scalar);
                Remember(state, scalar.Anchor, value, 1);
                return value;

            case SequenceStart seq:
                return ReadSequence(parser, state, seq, path, depth);

            case MappingStart map:
                return ReadMapping(parser, state, map, path, depth);

            default:
                throw new ManifestException(line, $"unexpected YAML {ev.GetType().Name}");
        }
    }

    private static JsonArray ReadSequence(IParser parser, DocState state, SequenceStart seq, string path, int depth)
    {
        parser.MoveNext();
        var before = state.Nodes;
        state.Count(1, (int)seq.Start.Line);
        var array = new JsonArray();
        var i = 0;
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            array.Add(ReadNode(parser, state, LineMap.Index(path, i++), depth + 1));
        }

        Remember(state, seq.Anchor, array, state.Nodes - before);
        return array;
    }

    /// <summary>A mapping: scalar keys only, no duplicates, merge keys (&lt;&lt;) applied after the mapping's own keys.</summary>
    private static JsonObject ReadMapping(IParser parser, DocState state, MappingStart map, string path, int depth)
    {
        var line = (int)map.Start.Line;
        parser.MoveNext();
        var before = state.Nodes;
        state.Count(1, line);
        var obj = new JsonObject();
        List<JsonNode?>? merges = null;
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = parser.Current!;
            var keyNode = ReadNode(parser, state, path + ".<key>", depth + 1);
            var key = keyNode switch
            {
                null => "null",
                JsonValue v => v.ToString(),
                _ => throw new ManifestException((int)keyEvent.Start.Line, "mapping keys must be scalars"),
            };
            var childPath = LineMap.Child(path, key);
            state.Lines.Add(childPath, (int)keyEvent.Start.Line);
            var child = ReadNode(parser, state, childPath, depth + 1);
            if (key == "<<" && keyEvent is Scalar { IsKey: true, Style: ScalarStyle.Plain })
            {
                (merges ??= new()).Add(child);
                continue;
            }

            if (obj.ContainsKey(key))
            {
                throw new ManifestException((int)keyEvent.Start.Line, $"duplicate key \"{key}\"");
            }

            obj[key] = child;
        }

        if (merges != null)
        {
            ApplyMerges(obj, merges, line);
        }

        Remember(state, map.Anchor, obj, state.Nodes - before);
        return obj;
    }

    /// <summary>YAML merge keys (&lt;&lt;: *base): keys written in the mapping win over merged ones.</summary>
    private static void ApplyMerges(JsonObject target, List<JsonNode?> merges, int line)
    {
        foreach (var merge in merges)
        {
            var sources = merge switch
            {
                JsonObject o => new[] { o },
                JsonArray a => a.Select(n => n as JsonObject ?? throw new ManifestException(line, "merge key (<<) needs mappings")).ToArray(),
                _ => throw new ManifestException(line, "merge key (<<) needs a mapping"),
            };
            foreach (var source in sources)
            {
                foreach (var (k, v) in source)
                {
                    if (!target.ContainsKey(k))
                    {
                        target[k] = v?.DeepClone();
                    }
                }
            }
        }
    }

    private static void Remember(DocState state, AnchorName anchor, JsonNode? node, int nodes)
    {
        if (!anchor.IsEmpty)
        {
            state.Anchors[anchor.Value] = (node, Math.Max(1, nodes));
        }
    }

    /// <summary>YAML 1.2 core schema for plain scalars; quoted scalars are always strings.</summary>
    private static JsonNode? ScalarValue(Scalar s)
    {
        var v = s.Value;
        if (s.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(v);
        }

        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (LooksNumeric(v))
        {
            if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return JsonValue.Create(l);
            }

            if (v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                return JsonValue.Create(hex);
            }

            if (v.StartsWith("0o", StringComparison.Ordinal))
            {
                try
                {
                    return JsonValue.Create(Convert.ToInt64(v[2..], 8));
                }
                catch (FormatException)
                {
                }
            }

            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                return JsonValue.Create(d);
            }
        }

        return JsonValue.Create(v);
    }

    private static bool LooksNumeric(string v)
    {
        if (v.Length == 0)
        {
            return false;
        }

        var c = v[0];
        return char.IsAsciiDigit(c) || ((c == '-' || c == '+' || c == '.') && v.Length > 1 && (char.IsAsciiDigit(v[1]) || v[1] == '.'));
    }

    private static string StripPosition(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line...): "; the caller already gives file:line.
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && i > 0 ? message[(i + 3)..] : message;
    }

    private sealed class DocState
    {
        public DocState(string file, int line, LoaderLimits limits)
        {
            File = file;
            Line = line;
            Limits = limits;
            Lines = new LineMap(line);
        }

        public string File { get; }
        public int Line { get; }
        public LoaderLimits Limits { get; }
        public LineMap Lines { get; }
        public int Nodes { get; private set; }
        public Dictionary<string, (JsonNode? Node, int Nodes)> Anchors { get; } = new(StringComparer.Ordinal);

        public void Count(int n, int line)
        {
            Nodes += n;
            if (Nodes > Limits.MaxNodesPerDocument)
            {
                throw new ManifestException(line, $"document expands to more than {Limits.MaxNodesPerDocument} nodes (alias bomb?)");
            }
        }
    }
}
