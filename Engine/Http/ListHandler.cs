using System.Buffers;
using System.Globalization;
using System.Text.Json;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// Lists ("PodList", ...) with labelSelector, fieldSelector and limit/continue. Items are written as the store's
/// JSON bytes, so a list costs no re-serialization.
/// </summary>
internal static class ListHandler
{
    public static async Task ListAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind)
    {
        var query = ListQuery.From(context.Request.Query, kind);
        var page = store.ListPage(kind, info.Namespace, query.Labels, query.Fields, query.Limit, query.Continue);
        if (Tables.TableRequest.Version(context.Request) is { } tableVersion)
        {
            await Tables.TableWriter.WriteAsync(context, kind, tableVersion, page.Items.Select(i => i.Shared), page.Revision, page.Continue);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            json.WriteStartObject();
            json.WriteString("kind", kind.Kind + "List");
            json.WriteString("apiVersion", kind.ApiVersion);
            json.WriteStartObject("metadata");
            json.WriteString("resourceVersion", page.Revision.ToString(CultureInfo.InvariantCulture));
            if (page.Continue != null)
            {
                json.WriteString("continue", page.Continue);
                json.WriteNumber("remainingItemCount", page.Remaining);
            }

            json.WriteEndObject();
            json.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                json.WriteRawValue(item.Json, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await ApiResponses.WriteJsonAsync(context, 200, buffer.WrittenMemory);
    }
}

/// <summary>The query parameters list and watch share.</summary>
internal sealed record ListQuery(Selector? Labels, Func<KubeObject, bool>? Fields, int Limit, string? Continue)
{
    public static ListQuery From(IQueryCollection query, ResourceKind kind)
    {
        var labelText = query["labelSelector"].ToString();
        var labels = string.IsNullOrWhiteSpace(labelText) ? null : Selector.Parse(labelText);
        var fields = FieldSelector.Parse(query["fieldSelector"].ToString(), kind);
        var limit = 0;
        if (query.TryGetValue("limit", out var l) && !(int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) && limit >= 0))
        {
            throw ApiException.BadRequest("limit must be a non-negative integer");
        }

        var cont = query["continue"].ToString();
        return new ListQuery(labels, fields, limit, cont.Length == 0 ? null : cont);
    }

    /// <summary>No selector: callers skip decoding objects just to test them.</summary>
    public bool MatchesAll => Labels == null && Fields == null;

    public bool Matches(KubeObject obj) => (Labels == null || Labels.Matches(obj.Metadata.Labels)) && (Fields == null || Fields(obj));
}
