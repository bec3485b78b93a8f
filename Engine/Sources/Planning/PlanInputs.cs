using GitOrch.Api.Model;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>What a plan is computed against besides the desired state and the live view.</summary>
/// <param name="Inventory">What was applied last time (a preview passes its live entries).</param>
/// <param name="Prune">Whether objects that left Git are deleted.</param>
/// <param name="Reference">The ref the plan names.</param>
/// <param name="KnownRevisions">Revisions right after the last apply: objects still at them are not diffed again.</param>
public sealed record PlanInputs(IReadOnlyList<InventoryEntry>? Inventory, bool Prune, string? Reference, IReadOnlyDictionary<string, long>? KnownRevisions = null);
