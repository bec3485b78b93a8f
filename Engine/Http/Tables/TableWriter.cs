using System.Globalization;
using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Http.Tables;

/// <summary>Writes objects as a meta.k8s.io Table: the kind's columns (<see cref="TableColumns"/>), one row per object, each with its object as asked.</summary>
internal static class TableWriter
{
    public static Task WriteAsync(HttpContext context, ResourceKind kind, string version, IEnumerable<KubeObject> objects, long? revision, string? continueToken)
    {
        var include = TableRequest.IncludeObject(context.Request);
        var now = (context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var columns = TableColumns.For(kind);
        var definitions = new JsonArray();
        foreach (var c in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : "",
                ["description"] = "",
                ["priority"] = c.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray();
            foreach (var c in columns)
            {
                cells.Add(JsonValue.Create(c.Cell(obj, now)));
            }

            var row = new JsonObject { ["cells"] = cells };
            if (include != "None")
            {
                row["object"] = RowObject(obj, include);
            }

            rows.Add(row);
        }

        var metadata = new JsonObject();
        if (revision != null)
        {
            metadata["resourceVersion"] = revision.Value.ToString(CultureInfo.InvariantCulture);
        }

        if (continueToken != null)
        {
            metadata["continue"] = continueToken;
        }

        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/" + version, ["metadata"] = metadata, ["columnDefinitions"] = definitions, ["rows"] = rows };
        return ApiResponses.WriteJsonAsync(context, 200, System.Text.Encoding.UTF8.GetBytes(table.ToJsonString()));
    }

    private static JsonNode RowObject(KubeObject obj, string include)
    {
        if (include == "Object")
        {
            return JsonNode.Parse(KubeJson.SerializeToUtf8(obj, obj.GetType()))!;
        }

        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = JsonNode.Parse(KubeJson.SerializeToUtf8(obj.Metadata, typeof(ObjectMeta))),
        };
    }
}
