using System.Text.Json.Serialization;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>What applying a commit would change: the answer of the plan subresource, and the applier's input.</summary>
public sealed class Plan
{
    public string? Ref { get; init; }
    public string Commit { get; init; } = "";
    public List<PlannedChange> Changes { get; } = new();
    public int Unchanged { get; set; }
    public List<string> Warnings { get; } = new();
    public List<string> Errors { get; } = new();

    /// <summary>What the plan deliberately leaves alone, e.g. spec.replicas of a workload a HorizontalPodAutoscaler scales.</summary>
    public List<string> Notes { get; } = new();

    /// <summary>The inventory after the plan is applied.</summary>
    [JsonIgnore]
    public List<InventoryEntry> Inventory { get; } = new();

    public int Creates => Changes.Count(c => c.Action == PlanAction.Create);
    public int Updates => Changes.Count(c => c.Action == PlanAction.Update);
    public int Deletes => Changes.Count(c => c.Action == PlanAction.Delete);

    public string Summary => $"{Creates} to create, {Updates} to update, {Deletes} to delete, {Unchanged} unchanged";
}
