using GitOrch.Api.Model;
using GitOrch.Api.Retry;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Scheduling;

/// <summary>
/// What binding a Pod to a node writes, shared by the scheduler and the HTTP <c>pods/{name}/binding</c> subresource so
/// both paths agree: an update of spec.nodeName checked against the Pod's resourceVersion, plus, only when the Pod
/// carries PodScheduled=False from an earlier attempt, a status write turning it True (in the same transaction).
/// </summary>
public static class PodBinding
{
    public const string ConditionType = ConditionTypes.PodScheduled;

    /// <summary>The writes that bind <paramref name="pod"/> (a private copy, as read, with its resourceVersion) to <paramref name="nodeName"/>.</summary>
    public static void AddWrites(List<StoreWrite> writes, Pod pod, string nodeName, DateTimeOffset now)
    {
        pod.Spec ??= new PodSpec();
        pod.Spec.NodeName = nodeName;
        writes.Add(new StoreWrite(StoreVerb.Update, pod));
        var scheduled = Conditions.Find(pod.Status?.Conditions, ConditionType);
        if (scheduled != null && scheduled.Status != ConditionStatus.True)
        {
            var status = KubeJson.Clone(pod);
            status.Metadata.ResourceVersion = null;
            Conditions.Set(status.Status!.Conditions!, new Condition { Type = ConditionType, Status = ConditionStatus.True }, now);
            writes.Add(new StoreWrite(StoreVerb.UpdateStatus, status));
        }
    }

    /// <summary>
    /// Binds one Pod (the binding subresource, also what a second scheduler would call): NotFound if it is gone,
    /// Conflict if it is already bound (to any node, as Kubernetes answers) or is not the Pod the request's uid
    /// names. A Pod that only changed meanwhile (a status write) is read again (<see cref="ConflictRetry"/>), so the
    /// bind still lands once.
    /// </summary>
    public static async Task<Pod> BindAsync(IObjectStore store, PodBindingRequest request, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var (ns, name, nodeName, uid) = request;

        // A refusal is a 409 too, but final: only a lost write race is retried.
        StoreException? refusal = null;
        return await ConflictRetry.RunAsync(e => e is StoreException { IsConflict: true } && !ReferenceEquals(e, refusal), async ct =>
        {
            var pod = store.Get<Pod>(ns, name) ?? throw StoreException.NotFound(ResourceKinds.Pod, name);
            refusal = Refusal(pod, name, uid);
            if (refusal != null)
            {
                throw refusal;
            }

            var writes = new List<StoreWrite>(2);
            AddWrites(writes, pod, nodeName, (time ?? TimeProvider.System).GetUtcNow());
            var written = await store.CommitAsync(writes, ct).ConfigureAwait(false);
            return (Pod)written[^1];
        }, cancellationToken).ConfigureAwait(false);
    }

    private static StoreException? Refusal(Pod pod, string name, string? uid)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return new StoreException("Conflict", 409, $"Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is already assigned to node \"{pod.Spec!.NodeName}\"", null, ResourceKinds.Pod, name);
        }

        if (uid != null && uid != pod.Metadata.Uid)
        {
            return new StoreException("Conflict", 409, $"Operation cannot be fulfilled on pods/binding \"{name}\": the uid of the Binding ({uid}) is not the Pod's ({pod.Metadata.Uid})", null, ResourceKinds.Pod, name);
        }

        return null;
    }
}

/// <summary>What a Binding asks for: place Pod <paramref name="Namespace"/>/<paramref name="Name"/> on <paramref name="NodeName"/>; with <paramref name="Uid"/>, only if the Pod is still that one.</summary>
public sealed record PodBindingRequest(string Namespace, string Name, string NodeName, string? Uid = null);
