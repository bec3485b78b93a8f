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
    /// <summary>The plan of <paramref name="desired"/> over <paramref name="live"/>: creates and updates in apply order, then deletes in reverse.</summary>
    public static Plan Build(DesiredState desired, LiveView live, PlanInputs inputs)
    {
        var plan = new Plan { Ref = inputs.Reference, Commit = desired.Commit };
        plan.Warnings.AddRange(desired.Warnings.Select(w => w.ToString()));
        plan.Errors.AddRange(desired.Errors.Select(e => e.ToString()));
        var previous = (inputs.Inventory ?? new List<InventoryEntry>()).ToDictionary(e => Loading.ManifestKey.Of(KindOf(e), e.Namespace, e.Name), StringComparer.Ordinal);
        var context = new ObjectContext(previous, live, inputs.KnownRevisions, desired.Objects.Count > 0 ? desired.Objects[0].Object.Metadata.Label(SourceLabels.Source) : null, new AutoscaledTargets(live.Store, desired.Objects));
        foreach (var d in desired.Objects)
        {
            PlanObject(plan, d, context);
        }

        var wanted = new HashSet<string>(desired.Objects.Select(d => d.Key), StringComparer.Ordinal);
        foreach (var (key, entry) in previous)
        {
            if (!wanted.Contains(key))
            {
                PlanPrune(plan, entry, live, inputs.Prune);
            }
        }

        plan.Changes.Sort((a, b) => a.Action == PlanAction.Delete && b.Action == PlanAction.Delete
            ? ApplyOrder.Of(b.ResourceKind).CompareTo(ApplyOrder.Of(a.ResourceKind))
            : a.Action == PlanAction.Delete ? 1 : b.Action == PlanAction.Delete ? -1 : ApplyOrder.Of(a.ResourceKind).CompareTo(ApplyOrder.Of(b.ResourceKind)));
        return plan;
    }

    /// <summary>What every desired object is planned against.</summary>
    /// <param name="KnownRevisions">Revisions the controller saw right after its last apply; an object still at that revision cannot have drifted and is not decoded.</param>
    /// <param name="SourceLabel">The source label this commit's objects carry: a live object with another one belongs to another source.</param>
    /// <param name="Autoscaled">Workloads an HPA scales: their spec.replicas is the HPA's, not Git's.</param>
    private sealed record ObjectContext(Dictionary<string, InventoryEntry> Previous, LiveView Live, IReadOnlyDictionary<string, long>? KnownRevisions, string? SourceLabel, AutoscaledTargets Autoscaled);

    /// <summary>One desired object: unchanged, create, update (changed in Git or drifted), or an error when another source owns it.</summary>
    private static void PlanObject(Plan plan, DesiredObject d, ObjectContext context)
    {
        plan.Inventory.Add(new InventoryEntry { ApiVersion = d.Kind.ApiVersion, Kind = d.Kind.Kind, Namespace = d.Namespace, Name = d.Name, Hash = d.Hash });
        var inGitUnchanged = context.Previous.TryGetValue(d.Key, out var before) && before.Hash == d.Hash;
        var revision = context.Live.RevisionOf(d.Kind, d.Namespace, d.Name);
        if (inGitUnchanged && revision != null && context.KnownRevisions != null && context.KnownRevisions.TryGetValue(d.Key, out var known) && known == revision)
        {
            plan.Unchanged++;
            return;
        }

        var current = context.Live.Get(d.Kind, d.Namespace, d.Name);
        if (current == null || current.Metadata.DeletionTimestamp != null)
        {
            plan.Changes.Add(Change(PlanAction.Create, d, null, before == null ? "new in Git" : "missing live, recreated", null));
            return;
        }

        var owner = current.Metadata.Label(SourceLabels.Source);
        if (owner != null && context.SourceLabel != null && owner != context.SourceLabel)
        {
            plan.Errors.Add($"{d.Manifest.Location}: {d.Display} is managed by source {owner}");
            return;
        }

        if (current.Metadata.Annotation(SourceLabels.Reconcile) == SourceLabels.Disabled)
        {
            plan.Unchanged++;
            return;
        }

        if (context.Autoscaled.HpaFor(d) is { } hpa)
        {
            d = d with { Object = AutoscaledTargets.WithLiveReplicas(d.Object, current) };
            plan.Notes.Add($"{d.Display}: spec.replicas is left to HorizontalPodAutoscaler {hpa} (live {AutoscaledTargets.Replicas(current)})");
        }

        var changes = Diff(d.Object, current);
        if (changes.Count == 0 && inGitUnchanged)
        {
            plan.Unchanged++;
            return;
        }

        if (changes.Count == 0)
        {
            // Only a field was removed in Git (one-way diff cannot see it) or the file moved.
            changes.Add(new FieldChange("(manifest)", before?.Hash, d.Hash));
        }

        plan.Changes.Add(Change(PlanAction.Update, d, current, inGitUnchanged ? "drifted" : "changed in Git", changes));
    }

    /// <summary>An object that left Git: deleted, unless prune is off or the object opts out.</summary>
    private static void PlanPrune(Plan plan, InventoryEntry entry, LiveView live, bool prune)
    {
        var kind = KindOf(entry);
        if (!prune)
        {
            plan.Warnings.Add($"{kind.Kind} {entry.Name} left Git; prune is off, it is kept");
            return;
        }

        var current = live.Get(kind, entry.Namespace, entry.Name);
        if (current == null)
        {
            return;
        }

        if (current.Metadata.Annotation(SourceLabels.Prune) == SourceLabels.Disabled)
        {
            plan.Warnings.Add($"{kind.Kind} {entry.Name} left Git; kept because of {SourceLabels.Prune}: disabled");
            return;
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
