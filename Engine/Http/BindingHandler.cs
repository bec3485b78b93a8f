using GitOrch.Api.Model;
using GitOrch.Engine.Scheduling;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Http;

/// <summary>
/// <c>POST pods/{name}/binding</c>: the scheduler's way to place a Pod. Sets <c>spec.nodeName</c> once (and
/// PodScheduled=True) through <see cref="PodBinding"/>, as the built-in scheduler does; a Pod that is already bound
/// answers 409, so two schedulers (or a retry) can never move a Pod to another node.
/// </summary>
internal static class BindingHandler
{
    public static async Task BindAsync(HttpContext context, IObjectStore store, RequestInfo info)
    {
        DryRun.Refuse(context, "pods/binding");
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

        var uid = binding.Metadata.Uid is { Length: > 0 } u ? u : null;
        await PodBinding.BindAsync(store, new PodBindingRequest(info.Namespace!, info.Name!, node, uid), time: null, CancellationToken.None);
        await ApiResponses.WriteStatusAsync(context, ApiResponses.Success(201));
    }
}
