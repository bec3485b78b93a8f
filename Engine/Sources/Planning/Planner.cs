using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>
/// Compares a commit's desired state with the live objects and the inventory of the last apply and
/// says what applying would do: create what is missing, update what changed in Git or drifted through
/// the API, delete what left Git. The same code answers the plan subresource, so a plan is exactly
/// what an apply does.
/// </summary>
public static class Planner
{
    /// <param name="knownRevisions">Revisions the controller saw right after its last apply; an object still at that revision cannot have drifted and is not decoded.</param>
    public static Plan Build(DesiredState desired, IReadOnlyList<InventoryEntry>? inventory, LiveView live, bool prune, string? reference = null, IReadOnlyDictionary<string, long>? knownRevisions = null)
    {
        var plan = new Plan { Ref = reference, Commit = desired.Commit };
        plan.Warnings.AddRange(desired.Warnings.Select(w => w.ToString()));
        plan.Errors.AddRange(desired.Errors.Select(e => e.ToString()));
        var previous = (inventory ?? new List<InventoryEntry>()).ToDictionary(e => Loading.ManifestKey.Of(KindOf(e), e.Namespace, e.Name), StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var sourceLabel = desired.Objects.Count > 0 ? desired.Objects[0].Object.Metadata.Label(SourceLabels.Source) : null;

        foreach (var d in desired.Objects)
        {
            wanted.Add(d.Key);
            var entry = new InventoryEntry { ApiVersion = d.Kind.ApiVersion, Kind = d.Kind.Kind, Namespace = d.Namespace, Name = d.Name, Hash = d.Hash };
            plan.Inventory.Add(entry);
            var inGitUnchanged = previous.TryGetValue(d.Key, out var before) && before.Hash == d.Hash;
            var revision = live.RevisionOf(d.Kind, d.Namespace, d.Name);
            if (inGitUnchanged && revision != null && knownRevisions != null && knownRevisions.TryGetValue(d.Key, out var known) && known == revision)
            {
                plan.Unchanged++;
                continue;
            }

            var current = live.Get(d.Kind, d.Namespace, d.Name);
            if (current == null || current.Metadata.DeletionTimestamp != null)
            {
                plan.Changes.Add(Change(PlanAction.Create, d, null, before == null ? "new in Git" : "missing live, recreated", null));
                continue;
            }

            var owner = current.Metadata.Label(SourceLabels.Source);
            if (owner != null && sourceLabel != null && owner != sourceLabel)
            {
                plan.Errors.Add($"{d.Manifest.Location}: {d.Display} is managed by source {owner}");
                continue;
            }

            if (current.Metadata.Annotation(SourceLabels.Reconcile) == SourceLabels.Disabled)
            {
                plan.Unchanged++;
                continue;
            }

            var changes = Diff(d.Object, current);
            if (changes.Count == 0 && inGitUnchanged)
            {
                plan.Unchanged++;
                continue;
            }

            if (changes.Count == 0)
            {
                // Only a field was removed in Git (one-way diff cannot see it) or the file moved.
                changes.Add(new FieldChange("(manifest)", before?.Hash, d.Hash));
            }

            plan.Changes.Add(Change(PlanAction.Update, d, current, inGitUnchanged ? "drifted" : "changed in Git", changes));
        }

        foreach (var (key, entry) in previous)
        {
            if (wanted.Contains(key))
            {
                continue;
            }

            var kind = KindOf(entry);
            if (!prune)
            {
                plan.Warnings.Add($"{kind.Kind} {entry.Name} left Git; prune is off, it is kept");
                continue;
            }

            var current = live.Get(kind, entry.Namespace, entry.Name);
            if (current == null)
            {
                continue;
            }

            if (current.Metadata.Annotation(SourceLabels.Prune) == SourceLabels.Disabled)
            {
                plan.Warnings.Add($"{kind.Kind} {entry.Name} left Git; kept because of {SourceLabels.Prune}: disabled");
                continue;
            }

            plan.Changes.Add(new PlannedChange
            {
                Action = PlanAction.Delete,
                ApiVersion = entry.ApiVersion,
                Kind = entry.Kind,
                Namespace = entry.Namespace,
                Name = entry.Name,
                Reason = "removed from Git",
                ResourceKind = kind,
                Live = current,
            });
        }

        plan.Changes.Sort((a, b) => a.Action == PlanAction.Delete && b.Action == PlanAction.Delete
            ? ApplyOrder.Of(b.ResourceKind).CompareTo(ApplyOrder.Of(a.ResourceKind))
            : a.Action == PlanAction.Delete ? 1 : b.Action == PlanAction.Delete ? -1 : ApplyOrder.Of(a.ResourceKind).CompareTo(ApplyOrder.Of(b.ResourceKind)));
        return plan;
    }

    /// <summary>Fields of the desired object whose live value differs (metadata: labels and annotations only).</summary>
    public static List<FieldChange> Diff(KubeObject desired, KubeObject live)
    {
        var d = ToNode(desired);
        var l = ToNode(live);
        var changes = new List<FieldChange>();
        foreach (var (key, value) in d)
        {
            if (key is "apiVersion" or "kind" or "status")
            {
                continue;
            }

            if (key == "metadata")
            {
                var dm = (JsonObject)value!;
                var lm = l["metadata"] as JsonObject;
                JsonDiff.Compare(dm["labels"], lm?["labels"], "metadata.labels", changes);
                var annotations = dm["annotations"]?.DeepClone() as JsonObject;
                annotations?.Remove(SourceLabels.Commit);
                JsonDiff.Compare(annotations, lm?["annotations"], "metadata.annotations", changes);
                continue;
            }

            JsonDiff.Compare(value, l[key], key, changes);
        }

        return changes;
    }

    internal static JsonObject ToNode(KubeObject o) => JsonNode.Parse(KubeJson.SerializeToUtf8(o, o.GetType()))!.AsObject();

    internal static ResourceKind KindOf(InventoryEntry e)
        => ResourceKinds.TryFind(e.ApiVersion, e.Kind, out var k) ? k : throw new InvalidOperationException($"unknown kind {e.ApiVersion}/{e.Kind} in inventory");

    private static PlannedChange Change(PlanAction action, DesiredObject d, KubeObject? live, string reason, List<FieldChange>? changes) => new()
    {
        Action = action,
        ApiVersion = d.Kind.ApiVersion,
        Kind = d.Kind.Kind,
        Namespace = d.Namespace,
        Name = d.Name,
        File = d.Manifest.File,
        Reason = reason,
        Changes = changes,
        ResourceKind = d.Kind,
        Desired = d,
        Live = live,
    };
}
