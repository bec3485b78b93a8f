namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// JSON path ("$.spec.template.spec.containers[0].image", the format System.Text.Json uses in its
/// exceptions) to the YAML line that wrote it, so every error and warning can say file:line.
/// </summary>
public sealed class LineMap
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    public LineMap(int documentLine) => DocumentLine = documentLine;

    /// <summary>The line where the document starts: the answer when nothing closer is known.</summary>
    public int DocumentLine { get; }

    public void Add(string path, int line) => _lines.TryAdd(path, line);

    /// <summary>The line of a path, or of its nearest ancestor that has one.</summary>
    public int LineOf(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return DocumentLine;
        }

        var p = path.StartsWith('$') ? path : "$." + path;
        while (p.Length > 1)
        {
            if (_lines.TryGetValue(p, out var line))
            {
                return line;
            }

            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            if (cut <= 0)
            {
                break;
            }

            p = p[..cut];
        }

        return DocumentLine;
    }

    /// <summary>Appends a property to a path the way System.Text.Json writes it.</summary>
    public static string Child(string parent, string key)
    {
        foreach (var c in key)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '/'))
            {
                return parent + "['" + key.Replace("'", "\\'", StringComparison.Ordinal) + "']";
            }
        }

        return parent + "." + key;
    }

    public static string Index(string parent, int index) => parent + "[" + index + "]";
}
