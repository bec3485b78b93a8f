using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>
/// The live objects a plan compares against, read once per kind by the source label (one list call per
/// kind instead of one get per object). Stored objects are decoded only when they must be diffed, which
/// keeps a no-op reconcile of a thousand objects cheap. Objects without the label (about to be adopted)
/// fall back to a get.
/// </summary>
public sealed class LiveView
{
    private readonly IObjectStore _store;
    private readonly Dictionary<string, StoredObject> _labelled = new(StringComparer.Ordinal);

    public LiveView(IObjectStore store, IEnumerable<ResourceKind> kinds, string sourceLabelValue, string? ns = null, string? previewNumber = null)
    {
        _store = store;
        var labels = new Dictionary<string, string> { [SourceLabels.Source] = sourceLabelValue };
        if (previewNumber != null)
        {
            labels[SourceLabels.Preview] = previewNumber;
        }

        var selector = Selector.FromLabels(labels);
        foreach (var kind in kinds.Distinct())
        {
            string? cont = null;
            do
            {
                var page = store.ListPage(kind, kind.Namespaced ? ns : null, selector, previewNumber == null ? o => o.Metadata.Label(SourceLabels.Preview) == null : null, 5000, cont);
                foreach (var item in page.Items)
                {
                    _labelled[ManifestKeyOf(kind, item.Namespace, item.Name)] = item;
                }

                cont = page.Continue;
            }
            while (cont != null);
        }
    }

    /// <summary>The store the view reads, for lookups beyond the labelled objects (the HPAs of a namespace).</summary>
    internal IObjectStore Store => _store;

    /// <summary>Every labelled object found, as inventory entries (previews keep no inventory of their own).</summary>
    public List<InventoryEntry> Entries() => _labelled.Values.Select(s => new InventoryEntry
    {
        ApiVersion = s.Kind.ApiVersion,
        Kind = s.Kind.Kind,
        Namespace = s.Namespace,
        Name = s.Name,
        Hash = s.Shared.Metadata.Annotation(SourceLabels.Hash),
    }).ToList();

    /// <summary>The stored object's revision when it carries the source label, without decoding it.</summary>
    public long? RevisionOf(ResourceKind kind, string? ns, string name)
        => _labelled.TryGetValue(ManifestKeyOf(kind, ns, name), out var s) ? s.Revision : null;

    public KubeObject? Get(ResourceKind kind, string? ns, string name)
        => _labelled.TryGetValue(ManifestKeyOf(kind, ns, name), out var s) ? s.Copy() : _store.Get(kind, ns, name);

    private static string ManifestKeyOf(ResourceKind kind, string? ns, string name) => Loading.ManifestKey.Of(kind, ns, name);
}
