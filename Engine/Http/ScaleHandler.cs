using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Http.Patching;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// The <c>scale</c> subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and StatefulSets: read or change
/// <c>spec.replicas</c> without sending the whole object. <c>metadata.resourceVersion</c> of a PUT is a precondition.
/// </summary>
internal static class ScaleHandler
{
    private const string ScaleApiVersion = "autoscaling/v1";

    /// <summary>How many times an unpinned scale is tried against concurrent writes.</summary>
    private const int ScaleAttempts = 8;

    public static bool IsScalable(ResourceKind kind)
        => kind == ResourceKinds.Deployment || kind == ResourceKinds.ReplicaSet || kind == ResourceKinds.StatefulSet;

    public static async Task ServeAsync(HttpContext context, IObjectStore store, RequestInfo info, ResourceKind kind)
    {
        var workload = ObjectHandlers.Load(store, kind, info.Namespace, info.Name!);
        switch (info.Verb)
        {
            case "get":
                await ApiResponses.WriteObjectAsync(context, 200, ToScale(workload));
                return;
            case "update":
            {
                var dryRun = DryRun.Requested(context);
                var bytes = await RequestBody.ReadBytesAsync(context, ApiResponses.Json);
                var scale = (Scale)RequestBody.Decode(bytes, typeof(Scale), ScaleApiVersion, "Scale", "extensions/v1beta1", "apps/v1");
                ObjectHandlers.MatchName(scale, info.Name!);
                await WriteAsync(context, store, workload, scale, pinned: !string.IsNullOrEmpty(scale.Metadata.ResourceVersion), dryRun);
                return;
            }

            case "patch":
            {
                var dryRun = DryRun.Requested(context);
                var patch = await PatchRequest.ReadAsync(context);
                if (patch.IsApply)
                {
                    throw ApiException.UnsupportedMediaType(patch.MediaType);
                }

                var scale = (Scale)ObjectHandlers.Patch(ToScale(workload), patch, typeof(Scale), ScaleApiVersion, "Scale");
                await WriteAsync(context, store, workload, scale, pinned: false, dryRun);
                return;
            }

            default:
                throw ApiException.MethodNotAllowed($"{info.Verb} is not supported on {info.Resource}");
        }
    }

    private static async Task WriteAsync(HttpContext context, IObjectStore store, KubeObject workload, Scale scale, bool pinned, bool dryRun)
    {
        var replicas = scale.Spec?.Replicas ?? throw new StoreException("Invalid", 422, "Scale is invalid: spec.replicas: Required value",
            [new StatusCause { Field = "spec.replicas", Reason = "FieldValueRequired", Message = "Required value" }]);
        if (replicas < 0)
        {
            throw new StoreException("Invalid", 422, $"Scale is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0",
                [new StatusCause { Field = "spec.replicas", Reason = "FieldValueInvalid", Message = "must be greater than or equal to 0" }]);
        }

        var written = await ScaleAsync(store, workload, replicas, pinned ? scale.Metadata.ResourceVersion : null, dryRun, CancellationToken.None);
        await ApiResponses.WriteObjectAsync(context, 200, ToScale(written));
    }

    /// <summary>
    /// Sets <c>spec.replicas</c> of a scalable workload: what a PUT of the scale subresource does, and what the
    /// HorizontalPodAutoscaler calls in-process. With <paramref name="resourceVersion"/> the write is pinned to it (one
    /// attempt); without, it is "set replicas to N", retried over concurrent status writes.
    /// </summary>
    internal static async Task<KubeObject> ScaleAsync(IObjectStore store, KubeObject workload, int replicas, string? resourceVersion, bool dryRun, CancellationToken cancellationToken)
    {
        var first = true;
        return await ConflictRetry.RunAsync(StoreException.IsConflictError, ct =>
        {
            if (!first)
            {
                workload = ObjectHandlers.Load(store, ResourceKinds.Of(workload), workload.Namespace, workload.Name);
            }

            first = false;
            SetReplicas(workload, replicas);
            workload.Metadata.ResourceVersion = resourceVersion ?? workload.Metadata.ResourceVersion;
            return StoreOps.UpdateAsync(store, workload, ct, dryRun);
        }, cancellationToken, attempts: resourceVersion != null ? 1 : ScaleAttempts).ConfigureAwait(false);
    }

    internal static Scale ToScale(KubeObject workload)
    {
        var (spec, status, selector) = workload switch
        {
            Deployment d => (d.Spec?.Replicas, d.Status?.Replicas, d.Spec?.Selector),
            ReplicaSet r => (r.Spec?.Replicas, (int?)r.Status?.Replicas, r.Spec?.Selector),
            StatefulSet s => (s.Spec?.Replicas, (int?)s.Status?.Replicas, s.Spec?.Selector),
            _ => throw new InvalidOperationException(workload.GetType().Name + " has no scale subresource"),
        };
        return new Scale
        {
            ApiVersion = ScaleApiVersion,
            Kind = "Scale",
            Metadata = new ObjectMeta
            {
                Name = workload.Metadata.Name,
                Namespace = workload.Metadata.Namespace,
                Uid = workload.Metadata.Uid,
                ResourceVersion = workload.Metadata.ResourceVersion,
                CreationTimestamp = workload.Metadata.CreationTimestamp,
            },
            Spec = new ScaleSpec { Replicas = spec ?? 1 },
            Status = new ScaleStatus { Replicas = status ?? 0, Selector = selector == null ? null : Selector.FromLabelSelector(selector).ToString() },
        };
    }

    private static void SetReplicas(KubeObject workload, int replicas)
    {
        switch (workload)
        {
            case Deployment d:
                (d.Spec ??= new()).Replicas = replicas;
                break;
            case ReplicaSet r:
                (r.Spec ??= new()).Replicas = replicas;
                break;
            case StatefulSet s:
                (s.Spec ??= new()).Replicas = replicas;
                break;
        }
    }
}
