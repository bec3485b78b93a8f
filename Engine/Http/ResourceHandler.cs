using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// Serves every path under <c>/api/v1</c> and <c>/apis/{group}/{version}</c> that no more specific route claims:
/// decodes what it addresses (<see cref="RequestInfo"/>) and hands it to the handler of that verb or subresource.
/// Features add their own subresources (pods/log, gitsources/plan, ...) as explicit routes, which win over this one.
/// </summary>
internal static class ResourceHandler
{
    public static Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var info = context.Items[RequestInfo.ItemKey] as RequestInfo ?? RequestInfo.Parse(request.Method, request.Path, request.Query);
        if (info?.Kind is not { } kind || (kind.Namespaced && info.Name != null && info.Namespace == null))
        {
            throw ApiException.NotFound($"the server could not find the requested resource ({request.Method} {request.Path})");
        }

        var store = context.RequestServices.GetRequiredService<IObjectStore>();
        return info.Verb is "get" or "list" ? ServeConsistentRead(context, store, info, kind) : Serve(context, store, info, kind);
    }

    /// <summary>A read never returns state older than a write already acknowledged by any Engine of the datastore.</summary>
    private static async Task ServeConsistentRead(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind)
    {
        await store.SyncForReadAsync(context.RequestAborted);
        await Serve(context, store, info, kind);
    }

    private static Task Serve(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind)
    {
        return info.Subresource switch
        {
            null => ServeObject(context, store, info, kind),
            "status" when HasStatus(kind) => ServeStatus(context, store, info, kind),
            "binding" when kind == ResourceKinds.Pod => info.Verb == "create" ? BindingHandler.BindAsync(context, store, info) : NotAllowed(info),
            "scale" when ScaleHandler.IsScalable(kind) => ScaleHandler.ServeAsync(context, store, info, kind),
            _ => throw ApiException.NotFound($"the server could not find the requested resource ({info.Resource})"),
        };
    }

    private static Task ServeObject(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind) => info.Verb switch
    {
        "list" => ListHandler.ListAsync(context, store, info, kind),
        "watch" => WatchHandler.WatchAsync(context, store, info, kind),
        "get" => ObjectHandlers.GetAsync(context, store, info, kind),
        "create" when info.Name == null => ObjectHandlers.CreateAsync(context, store, info, kind),
        "update" when info.Name != null => ObjectHandlers.ReplaceAsync(context, store, info, kind, status: false),
        "patch" when info.Name != null => ObjectHandlers.PatchAsync(context, store, info, kind, status: false),
        "delete" => ObjectHandlers.DeleteAsync(context, store, info, kind),
        _ => NotAllowed(info),
    };

    private static Task ServeStatus(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind) => info.Verb switch
    {
        "get" => ObjectHandlers.GetAsync(context, store, info, kind),
        "update" => ObjectHandlers.ReplaceAsync(context, store, info, kind, status: true),
        "patch" => ObjectHandlers.PatchAsync(context, store, info, kind, status: true),
        _ => NotAllowed(info),
    };

    /// <summary>Kinds whose objects carry a status (<see cref="IHasSpecAndStatus"/>, as KubeObject&lt;TSpec, TStatus&gt;) have the status subresource.</summary>
    public static bool HasStatus(ResourceKind kind) => typeof(IHasSpecAndStatus).IsAssignableFrom(kind.Type);

    private static Task NotAllowed(RequestInfo info)
        => throw ApiException.MethodNotAllowed($"{info.Verb} is not supported on {info.Resource}{(info.Name == null ? "" : " \"" + info.Name + "\"")}");
}
