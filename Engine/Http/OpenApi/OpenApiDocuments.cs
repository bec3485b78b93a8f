using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Http.OpenApi;

/// <summary>
/// The OpenAPI documents, generated once per process from the model (they change only with the binary) and served
/// from bytes with an ETag: <c>/openapi/v2</c> (Swagger 2, every kind), <c>/openapi/v3</c> (the index of group-versions)
/// and <c>/openapi/v3/api/v1</c>, <c>/openapi/v3/apis/{group}/{version}</c> (one group-version each).
/// </summary>
internal static class OpenApiDocuments
{
    private static readonly Lazy<Document> V2Document = new(BuildV2);
    private static readonly Lazy<IReadOnlyDictionary<string, Document>> V3Documents = new(BuildV3);
    private static readonly Lazy<Document> V3IndexDocument = new(BuildV3Index);

    public static Document V2 => V2Document.Value;

    public static Document V3Index => V3IndexDocument.Value;

    /// <summary>"api/v1" or "apis/apps/v1"; null when no kind is served there.</summary>
    public static Document? V3(string groupVersionPath) => V3Documents.Value.TryGetValue(groupVersionPath, out var d) ? d : null;

    private static Document BuildV2()
    {
        var schemas = new OpenApiSchemas(v3: false);
        var doc = new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = Info(),
            ["paths"] = OpenApiPaths.For(ResourceKinds.All, schemas, v3: false),
            ["definitions"] = schemas.ToJson(),
        };
        return Document.Of(doc);
    }

    private static Dictionary<string, Document> BuildV3()
    {
        var schemas = new OpenApiSchemas(v3: true);
        var documents = new Dictionary<string, Document>(StringComparer.Ordinal);
        foreach (var group in ResourceKinds.All.GroupBy(k => k.GroupPath.TrimStart('/')))
        {
            var doc = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = Info(),
                ["paths"] = OpenApiPaths.For(group, schemas, v3: true),
                ["components"] = new JsonObject { ["schemas"] = schemas.ToJson() },
            };
            documents[group.Key] = Document.Of(doc);
        }

        return documents;
    }

    private static Document BuildV3Index()
    {
        var paths = new JsonObject();
        foreach (var (path, doc) in V3Documents.Value.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={doc.Hash}" };
        }

        return Document.Of(new JsonObject { ["paths"] = paths });
    }

    private static JsonObject Info() => new() { ["title"] = "GitOrch", ["version"] = typeof(OpenApiDocuments).Assembly.GetName().Version?.ToString() ?? "v1" };

    /// <summary>A document's bytes and their hash (the ETag, and the <c>hash</c> of a v3 URL).</summary>
    internal sealed record Document(byte[] Json, string Hash)
    {
        public string ETag => "\"" + Hash + "\"";

        public static Document Of(JsonObject doc)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString());
            return new Document(bytes, Convert.ToHexString(SHA256.HashData(bytes))[..32]);
        }
    }
}
