using System.Linq;
using GitOrch.Api.Client;

namespace GitOrch.Module.Results;

/// <summary>One change of a plan (Compare-GitOrchSource): ACTION KIND NAMESPACE NAME and a readable diff.</summary>
public sealed class PlanChangeInfo
{
    public PlanChangeInfo(string source, SourcePlan plan, SourcePlanChange change)
    {
        Source = source;
        Ref = plan.Ref;
        Commit = plan.Commit;
        Action = change.Action;
        ApiVersion = change.ApiVersion;
        Kind = change.Kind;
        Namespace = change.Namespace;
        Name = change.Name;
        File = change.File;
        Reason = change.Reason;
        Changes = change.Changes?.ToArray() ?? System.Array.Empty<SourceFieldChange>();
        Diff = string.Join("\n", Changes.Select(c => $"{c.Path}: {c.From ?? "<none>"} -> {c.To ?? "<none>"}"));
    }

    public string Source { get; }

    public string? Ref { get; }

    public string Commit { get; }

    /// <summary>Create, Update or Delete.</summary>
    public string Action { get; }

    public string ApiVersion { get; }

    public string Kind { get; }

    public string? Namespace { get; }

    public string Name { get; }

    public string? File { get; }

    public string? Reason { get; }

    public SourceFieldChange[] Changes { get; }

    /// <summary>One line per changed field: "spec.replicas: 2 -> 3".</summary>
    public string Diff { get; }
}
