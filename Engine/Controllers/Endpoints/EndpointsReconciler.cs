using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;
using EndpointsObject = GitOrch.Api.Model.Endpoints;

namespace GitOrch.Engine.Controllers.Endpoints;

/// <summary>
/// Keeps one Endpoints object per Service with a selector, named like the Service: the addresses of the matching Pods
/// (Ready ones in addresses, the others in notReadyAddresses) and the ports each Service port resolves to. Every agent's
/// proxy routes the Service to those addresses. A Pod's readiness change wakes the Services whose selector matches it,
/// so the Endpoints follow within one informer round trip. Services without a selector are left alone: their
/// Endpoints are the user's. When a Service goes, its Endpoints go too.
/// </summary>
public sealed class EndpointsReconciler(IObjectStore store, SharedInformers informers, ControllerOptions options) : IReconciler
{
    private readonly IObjectStore _store = store;
    private readonly Informer<Service> _services = informers.Get<Service>();
    private readonly Informer<Pod> _pods = informers.Get<Pod>();
    private readonly Informer<EndpointsObject> _endpoints = informers.Get<EndpointsObject>();
    private readonly Informer<Node> _nodes = informers.Get<Node>();
    private readonly ControllerOptions _options = options;

    public string Name => "endpoints";

    public ResourceKind Kind => ResourceKinds.Service;

    public void Watch(ControllerWiring wiring)
    {
        wiring.For(_services)
            .Watches(_pods, ServicesOf)

            // Someone else changing or deleting an Endpoints object is repaired by reconciling its Service.
            .Watches(_endpoints, e => new[] { ObjectKey.Of(e.Object) })
            .Watches(_nodes, _ => Array.Empty<ObjectKey>());
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var service = _services.Get(key);
        var current = _endpoints.Get(key);
        if (service == null || service.Metadata.DeletionTimestamp != null)
        {
            if (current != null && current.Metadata.DeletionTimestamp == null)
            {
                try
                {
                    await _store.DeleteAsync(ResourceKinds.Endpoints, key.Namespace, key.Name, null, cancellationToken).ConfigureAwait(false);
                }
                catch (StoreException e) when (e.IsNotFound)
                {
                }
            }

            return ReconcileResult.Done;
        }

        if (service.Spec?.Selector is not { Count: > 0 })
        {
            return ReconcileResult.Done;
        }

        var subsets = EndpointsBuilder.Build(service, _pods.List(key.Namespace), NodeAddress);
        var desired = new EndpointsObject
        {
            Metadata = new ObjectMeta
            {
                Name = key.Name,
                Namespace = key.Namespace,
                Labels = service.Metadata.Labels == null ? null : new Dictionary<string, string>(service.Metadata.Labels),
            },
            Subsets = subsets,
        };

        try
        {
            KubeObject written;
            if (current == null)
            {
                written = await _store.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
            }
            else if (Same(current, desired))
            {
                return ReconcileResult.Done;
            }
            else
            {
                var copy = KubeJson.Clone(current);
                copy.Subsets = subsets;
                copy.Metadata.Labels = desired.Metadata.Labels;
                written = await _store.UpdateAsync(copy, cancellationToken).ConfigureAwait(false);
            }

            await _endpoints.WaitForRevisionAsync(Revisions.Of(written), _options.CacheSyncTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.IsConflict || e.IsAlreadyExists || e.IsNotFound)
        {
            // The cache was behind; the informer event that follows requeues us with the fresh object.
            return ReconcileResult.Error(e.Message);
        }

        return ReconcileResult.Done;
    }

    private string? NodeAddress(string nodeName)
    {
        var node = _nodes.Get(null, nodeName);
        var addresses = node?.Status?.Addresses;
        return addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? addresses?.FirstOrDefault()?.Address;
    }

    /// <summary>Services in the Pod's namespace whose selector matches the Pod before or after the change.</summary>
    private IEnumerable<ObjectKey> ServicesOf(InformerEvent<Pod> e)
    {
        var ns = e.Object.Metadata.Namespace;
        if (ns == null)
        {
            yield break;
        }

        foreach (var service in _services.List(ns))
        {
            if (service.Spec?.Selector is not { Count: > 0 } selector)
            {
                continue;
            }

            var s = Selector.FromLabels(selector);
            if ((e.New != null && s.Matches(e.New.Metadata.Labels)) || (e.Old != null && s.Matches(e.Old.Metadata.Labels)))
            {
                yield return ObjectKey.Of(service);
            }
        }
    }

    private static bool Same(EndpointsObject current, EndpointsObject desired)
    {
        var a = KubeJson.SerializeToUtf8(current.Subsets ?? new List<EndpointSubset>(), typeof(List<EndpointSubset>));
        var b = KubeJson.SerializeToUtf8(desired.Subsets ?? new List<EndpointSubset>(), typeof(List<EndpointSubset>));
        return a.AsSpan().SequenceEqual(b) && LabelsEqual(current.Metadata.Labels, desired.Metadata.Labels);
    }

    private static bool LabelsEqual(Dictionary<string, string>? a, Dictionary<string, string>? b)
        => (a == null || a.Count == 0) ? (b == null || b.Count == 0) : b != null && a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
