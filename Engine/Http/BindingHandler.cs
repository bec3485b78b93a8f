using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// <c>POST pods/{name}/binding</c>: the scheduler's way to place a Pod. Sets <c>spec.nodeName</c> once; a Pod that is
/// already bound answers 409, so two schedulers (or a retry) can never move a Pod to another node.
/// </summary>
internal static class BindingHandler
{
    public static async Task BindAsync(HttpContext context, IObjectStore store, RequestInfo info)
    {
        RequestBody.ThrowIfDryRun(context);
        var bytes = await RequestBody.ReadBytesAsync(context, ApiResponses.Json);
        var binding = (Binding)RequestBody.Decode(bytes, typeof(Binding), "v1", "Binding");
        var node = binding.Target?.Name;
        if (string.IsNullOrEmpty(node))
        {
            throw new StoreException("Invalid", 422, $"Binding \"{info.Name}\" is invalid: target.name: Required value",
                [new StatusCause { Field = "target.name", Reason = "FieldValueRequired", Message = "Required value" }], ResourceKinds.Pod, info.Name);
        }

        if (binding.Target!.Kind is { Length: > 0 } k && k != "Node")
        {
            throw ApiException.BadRequest($"a Pod can only be bound to a Node (target.kind \"{k}\")");
        }

        while (true)
        {
            var pod = (Pod)ObjectHandlers.Load(store, ResourceKinds.Pod, info.Namespace, info.Name!);
            if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                throw new StoreException("Conflict", 409, $"Operation cannot be fulfilled on pods/binding \"{pod.Name}\": pod {pod.Name} is already assigned to node \"{pod.Spec!.NodeName}\"", null, ResourceKinds.Pod, pod.Name);
            }

            if (binding.Metadata.Uid is { Length: > 0 } uid && uid != pod.Metadata.Uid)
            {
                throw new StoreException("Conflict", 409, $"Operation cannot be fulfilled on pods/binding \"{pod.Name}\": the uid of the Binding ({uid}) is not the Pod's ({pod.Metadata.Uid})", null, ResourceKinds.Pod, pod.Name);
            }

            pod.Spec ??= new PodSpec();
            pod.Spec.NodeName = node;
            try
            {
                await store.UpdateAsync(pod, CancellationToken.None);
                break;
            }
            catch (StoreException e) when (e.IsConflict)
            {
                // The Pod changed (e.g. a status write) between read and write: look again; a concurrent bind is a 409 above.
            }
        }

        await ApiResponses.WriteStatusAsync(context, ApiResponses.Success(201));
    }
}
