using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http.Patching;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>): not implemented yet, so it is refused with 415 rather than
/// treated as another patch type (its field ownership and conflicts cannot be faked). The seam where it will go.
/// </summary>
internal static class ApplyHandler
{
    public static Task ApplyAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind, PatchRequest patch, bool status, bool dryRun)
        => throw ApiException.UnsupportedMediaType(patch.MediaType);
}
