using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Http.Patching;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// get, create (POST), replace (PUT), merge-patch (PATCH) and delete of one object. Writes are passed to the store
/// with no cancellation: once a write is accepted it completes even if the client goes away or the host is stopping,
/// so a request never ends half-way (the store makes each write atomic).
/// </summary>
internal static class ObjectHandlers
{
    private const int PatchAttempts = 8;

    public static async Task GetAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind)
    {
        var obj = Load(store, kind, info.Namespace, info.Name!);
        if (info.Subresource == null && Tables.TableRequest.Version(context.Request) is { } tableVersion)
        {
            await Tables.TableWriter.WriteAsync(context, kind, tableVersion, [obj], null, null);
            return;
        }

        await ApiResponses.WriteObjectAsync(context, 200, obj);
    }

    public static async Task CreateAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind)
    {
        var dryRun = DryRun.Requested(context);
        if (kind.Namespaced && info.Namespace == null)
        {
            throw ApiException.MethodNotAllowed($"{kind.Plural} are created in a namespace: POST {kind.CollectionPath("{namespace}")}");
        }

        var obj = await RequestBody.ReadObjectAsync(context, kind);
        PlaceInNamespace(obj, kind, info.Namespace);
        var created = await StoreOps.CreateAsync(store, obj, CancellationToken.None, dryRun);
        await ApiResponses.WriteObjectAsync(context, 201, created);
    }

    public static async Task ReplaceAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind, bool status)
    {
        var dryRun = DryRun.Requested(context);
        var obj = await RequestBody.ReadObjectAsync(context, kind);
        PlaceInNamespace(obj, kind, info.Namespace);
        MatchName(obj, info.Name!);
        var written = status
            ? await StoreOps.UpdateStatusAsync(store, obj, CancellationToken.None, dryRun)
            : await StoreOps.UpdateAsync(store, obj, CancellationToken.None, dryRun);
        await ApiResponses.WriteObjectAsync(context, 200, written);
    }

    /// <summary>
    /// Any patch type (<see cref="PatchRequest"/>): read, patch, write back with the read resourceVersion. A concurrent
    /// write makes that a conflict, and then the patch is simply re-applied to the newer object, unless the patch
    /// itself pinned a resourceVersion. Server-side apply has its own handler.
    /// </summary>
    public static async Task PatchAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind, bool status)
    {
        var dryRun = DryRun.Requested(context);
        var patch = await PatchRequest.ReadAsync(context);
        if (patch.IsApply)
        {
            await ApplyHandler.ApplyAsync(context, store, info, kind, patch, status, dryRun);
            return;
        }

        var pinned = patch.PinsResourceVersion();
        // Someone wrote in between: re-read and re-apply.
        var written = await ConflictRetry.RunAsync(StoreException.IsConflictError, ct =>
        {
            var patched = Patch(Load(store, kind, info.Namespace, info.Name!), patch, kind);
            return status ? StoreOps.UpdateStatusAsync(store, patched, ct, dryRun) : StoreOps.UpdateAsync(store, patched, ct, dryRun);
        }, CancellationToken.None, attempts: pinned ? 1 : PatchAttempts);
        await ApiResponses.WriteObjectAsync(context, 200, written);
    }

    public static async Task DeleteAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind)
    {
        var dryRun = DryRun.Requested(context);
        var (options, bodyDryRun) = await DeleteOptionsReader.ReadAsync(context);
        var deleted = await StoreOps.DeleteAsync(store, kind, info.Namespace, info.Name!, options, CancellationToken.None, dryRun || bodyDryRun);
        await ApiResponses.WriteObjectAsync(context, 200, deleted);
    }

    internal static KubeObject Load(IObjectStore store, ResourceKind kind, string? ns, string name)
        => store.Get(kind, ns, name) ?? throw StoreException.NotFound(kind, name);

    /// <summary>Applies a patch to an object; name and namespace cannot be patched.</summary>
    internal static KubeObject Patch(KubeObject current, PatchRequest patch, ResourceKind kind)
        => Patch(current, patch, kind.Type, kind.ApiVersion, kind.Kind);

    internal static KubeObject Patch(KubeObject current, PatchRequest patch, Type type, string apiVersion, string kindName)
    {
        var node = (JsonObject)JsonNode.Parse(KubeJson.SerializeToUtf8(current, current.GetType()))!;
        var merged = patch.ApplyTo(node, type);
        return FromPatched(current, merged, type, apiVersion, kindName);
    }

    /// <summary>The typed object a patched JSON tree describes; a tree that no longer fits the type is 422, naming what failed.</summary>
    internal static KubeObject FromPatched(KubeObject current, JsonObject merged, Type type, string apiVersion, string kindName)
    {
        KubeObject result;
        try
        {
            result = (KubeObject)KubeJson.Deserialize(merged.ToJsonString(), type);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new StoreException("Invalid", 422, $"the patched object is not a valid {kindName}: {e.Message}");
        }

        if (result.Metadata == null || result.Metadata.Name != current.Metadata.Name || result.Metadata.Namespace != current.Metadata.Namespace)
        {
            throw ApiException.BadRequest("metadata.name and metadata.namespace cannot be changed by a patch");
        }

        result.ApiVersion = apiVersion;
        result.Kind = kindName;
        return result;
    }

    internal static void PlaceInNamespace(KubeObject obj, ResourceKind kind, string? urlNamespace)
    {
        if (!kind.Namespaced)
        {
            if (!string.IsNullOrEmpty(obj.Metadata.Namespace))
            {
                throw ApiException.BadRequest($"{kind.Plural} are cluster-scoped: metadata.namespace must be empty");
            }

            obj.Metadata.Namespace = null;
            return;
        }

        if (!string.IsNullOrEmpty(obj.Metadata.Namespace) && obj.Metadata.Namespace != urlNamespace)
        {
            throw ApiException.BadRequest($"the namespace of the provided object (\"{obj.Metadata.Namespace}\") does not match the namespace sent on the request (\"{urlNamespace}\")");
        }

        obj.Metadata.Namespace = urlNamespace;
    }

    internal static void MatchName(KubeObject obj, string urlName)
    {
        if (string.IsNullOrEmpty(obj.Metadata.Name))
        {
            obj.Metadata.Name = urlName;
        }
        else if (obj.Metadata.Name != urlName)
        {
            throw ApiException.BadRequest($"the name of the object (\"{obj.Metadata.Name}\") does not match the name on the URL (\"{urlName}\")");
        }
    }
}
