using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http.Patching;

/// <summary>Server-side apply (<c>application/apply-patch+yaml</c>).</summary>
internal static class ApplyHandler
{
    public static Task ApplyAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind, PatchRequest patch, bool status, bool dryRun)
        => throw ApiException.UnsupportedMediaType(patch.MediaType);
}
