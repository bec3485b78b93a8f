namespace GitOrch.Engine.Sources.Http;

/// <summary>Body of the plan subresource: the ref to plan (branch, tag, commit or refs/pull/N/head); empty: the tracked ref.</summary>
public sealed class PlanRequest
{
    public string? Ref { get; set; }
}
