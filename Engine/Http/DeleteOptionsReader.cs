using System.Globalization;
using System.Text.Json.Nodes;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// DeleteOptions from the query (<c>propagationPolicy</c>, <c>gracePeriodSeconds</c>) and/or a JSON body (with
/// <c>preconditions</c>, and <c>dryRun</c>, which client libraries send in the body rather than the query).
/// </summary>
internal static class DeleteOptionsReader
{
    private static readonly string[] Policies = ["Background", "Foreground", "Orphan"];

    public static async Task<(DeleteOptions? Options, bool DryRun)> ReadAsync(HttpContext context)
    {
        var options = new DeleteOptions();
        var any = false;
        var dryRun = false;
        var query = context.Request.Query;
        if (query.TryGetValue("propagationPolicy", out var policy))
        {
            options.PropagationPolicy = policy.ToString();
            any = true;
        }

        if (query.TryGetValue("gracePeriodSeconds", out var grace))
        {
            options.GracePeriodSeconds = long.TryParse(grace, NumberStyles.Integer, CultureInfo.InvariantCulture, out var g) ? g : throw ApiException.BadRequest("gracePeriodSeconds must be an integer");
            any = true;
        }

        if (HasBody(context.Request))
        {
            var bytes = await RequestBody.ReadBytesAsync(context, ApiResponses.Json);
            var body = JsonNode.Parse(bytes) as JsonObject ?? throw ApiException.BadRequest("DeleteOptions must be a JSON object");
            try
            {
                options.PropagationPolicy = (string?)body["propagationPolicy"] ?? options.PropagationPolicy;
                options.GracePeriodSeconds = (long?)body["gracePeriodSeconds"] ?? options.GracePeriodSeconds;
                if (body["dryRun"] is JsonArray dry)
                {
                    dryRun = DryRun.Parse(dry.Select(v => (string?)v));
                }

                if (body["preconditions"] is JsonObject pre)
                {
                    options.Uid = (string?)pre["uid"];
                    options.ResourceVersion = (string?)pre["resourceVersion"];
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw ApiException.BadRequest("invalid DeleteOptions: " + e.Message);
            }

            any = true;
        }

        if (options.PropagationPolicy != null && !Policies.Contains(options.PropagationPolicy))
        {
            throw ApiException.BadRequest($"propagationPolicy must be one of {string.Join(", ", Policies)} (got \"{options.PropagationPolicy}\")");
        }

        return (any ? options : null, dryRun);
    }

    private static bool HasBody(HttpRequest request)
        => request.ContentLength > 0 || (request.ContentLength == null && request.Headers.TransferEncoding.Count > 0);
}
