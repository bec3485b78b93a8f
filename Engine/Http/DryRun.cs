namespace GitOrch.Engine.Http;

/// <summary>
/// The <c>dryRun</c> query parameter of create, update, patch and delete: absent for a real write, <c>All</c> for a
/// dry run (the only value Kubernetes defines). Any other value is refused rather than ignored, so a client asking
/// for a dry run never gets a real write.
/// </summary>
internal static class DryRun
{
    public const string All = "All";

    public static bool Requested(HttpContext context) => Parse(context.Request.Query["dryRun"]);

    /// <summary>For a write that cannot be dry-run (pods/binding): refuse rather than write for real.</summary>
    public static void Refuse(HttpContext context, string what)
    {
        if (Requested(context))
        {
            throw ApiException.BadRequest($"dryRun is not supported on {what}");
        }
    }

    /// <summary>Every value given must be <c>All</c> (client-go repeats the parameter for a list).</summary>
    public static bool Parse(IEnumerable<string?> values)
    {
        var any = false;
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (value != All)
            {
                throw ApiException.BadRequest($"dryRun: Unsupported value: \"{value}\": supported values: \"{All}\"");
            }

            any = true;
        }

        return any;
    }
}
