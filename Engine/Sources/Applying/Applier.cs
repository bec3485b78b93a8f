using System.Globalization;
using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Sources.Loading;
using GitOrch.Engine.Sources.Planning;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Sources.Applying;

/// <summary>
/// Applies a plan through the store, one atomic batch per dependency level (namespaces, configuration,
/// services, workloads; deletes in reverse), so a level only starts when the one it depends on is stored.
/// Returns the revision of every object written, which lets the next reconcile skip objects nobody touched.
/// </summary>
public static class Applier
{
    public static async Task<Dictionary<string, long>> ApplyAsync(IObjectStore store, Plan plan, string commit, CancellationToken cancellationToken)
    {
        var revisions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var level in plan.Changes.GroupBy(c => (c.Action == PlanAction.Delete ? 10 - ApplyOrder.Of(c.ResourceKind) : ApplyOrder.Of(c.ResourceKind)) + (c.Action == PlanAction.Delete ? 100 : 0)).OrderBy(g => g.Key))
        {
            var changes = level.ToList();
            var writes = changes.Select(c => c.Action switch
            {
                PlanAction.Create => new StoreWrite(StoreVerb.Create, ForCreate(c.Desired!, commit)),
                PlanAction.Update => new StoreWrite(StoreVerb.Update, ForUpdate(c.Desired!, c.Live!, commit)),
                _ => new StoreWrite(StoreVerb.Delete, c.Live!, new DeleteOptions { PropagationPolicy = "Background" }),
            }).ToList();
            IReadOnlyList<KubeObject> results;
            try
            {
                results = await store.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                var which = e.ObjectName != null ? changes.FirstOrDefault(c => c.Name == e.ObjectName && (e.ResourceKind == null || c.ResourceKind == e.ResourceKind)) : null;
                var where = which?.File != null ? which.File + ": " : "";
                throw new ApplyException($"{where}{which?.Kind ?? e.ResourceKind?.Kind} {which?.Namespace}/{which?.Name ?? e.ObjectName}: {e.Message}", e);
            }

            for (var i = 0; i < changes.Count && i < results.Count; i++)
            {
                if (changes[i].Action != PlanAction.Delete && long.TryParse(results[i].Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
                {
                    revisions[ManifestKey.Of(changes[i].ResourceKind, changes[i].Namespace, changes[i].Name)] = rv;
                }
            }
        }

        return revisions;
    }

    /// <summary>
    /// The desired object itself with the commit annotation (the store copies what it stores). The annotation
    /// is outside the hash and the diff, so leaving it on the cached desired object changes nothing else.
    /// </summary>
    private static KubeObject ForCreate(DesiredObject d, string commit)
    {
        (d.Object.Metadata.Annotations ??= new())[SourceLabels.Commit] = commit;
        return d.Object;
    }

    /// <summary>
    /// The live object with Git's content: labels as in Git, annotations merged (controllers add their own),
    /// every other top-level field replaced, status kept. No resourceVersion: the source controller owns these
    /// objects, and a concurrent API edit is drift it would revert anyway.
    /// </summary>
    internal static KubeObject ForUpdate(DesiredObject d, KubeObject live, string commit)
    {
        var desired = Planner.ToNode(d.Object);
        var current = Planner.ToNode(live);
        var result = new JsonObject();
        foreach (var (key, value) in desired)
        {
            if (key is not ("metadata" or "status"))
            {
                result[key] = value?.DeepClone();
            }
        }

        var meta = (JsonObject)current["metadata"]!.DeepClone();
        meta.Remove("resourceVersion");
        var dm = (JsonObject)desired["metadata"]!;
        meta["labels"] = dm["labels"]?.DeepClone();
        var annotations = meta["annotations"] as JsonObject ?? new JsonObject();
        foreach (var (k, v) in (dm["annotations"] as JsonObject) ?? new JsonObject())
        {
            annotations[k] = v?.DeepClone();
        }

        annotations[SourceLabels.Commit] = commit;
        meta["annotations"] = annotations;
        result["metadata"] = meta;
        if (current["status"] is { } status)
        {
            result["status"] = status.DeepClone();
        }

        return (KubeObject)KubeJson.Deserialize(result.ToJsonString(), d.Kind.Type);
    }
}
