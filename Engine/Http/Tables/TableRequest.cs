namespace GitOrch.Engine.Http.Tables;

/// <summary>
/// Whether a GET asks for server-side printing: an Accept entry <c>application/json;as=Table;g=meta.k8s.io;v=v1</c>
/// (or v1beta1, which kubectl 1.20 also lists). kubectl sends the Table entries first and plain JSON last as its fallback.
/// </summary>
internal static class TableRequest
{
    /// <summary>"v1" or "v1beta1" for the first Table entry of the Accept header; null when no Table is asked for.</summary>
    public static string? Version(HttpRequest request)
    {
        foreach (var entry in request.Headers.Accept.ToString().Split(','))
        {
            var parts = entry.Split(';').Select(p => p.Trim()).ToList();
            if (!parts[0].Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (parameters.GetValueOrDefault("as") == "Table" && parameters.GetValueOrDefault("g") == "meta.k8s.io" && parameters.GetValueOrDefault("v") is "v1" or "v1beta1")
            {
                return parameters["v"];
            }
        }

        return null;
    }

    /// <summary><c>includeObject</c>: Metadata (default: a PartialObjectMetadata per row), Object, or None.</summary>
    public static string IncludeObject(HttpRequest request) => request.Query["includeObject"].ToString() switch
    {
        "" or "Metadata" => "Metadata",
        "Object" => "Object",
        "None" => "None",
        var other => throw ApiException.BadRequest($"includeObject: Unsupported value: \"{other}\": supported values: \"None\", \"Metadata\", \"Object\""),
    };
}
