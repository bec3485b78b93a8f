using System;
using System.Collections.Generic;

namespace GitOrch.Api.Model;

/// <summary>gitorch.io/v1 GitSource: a Git repository whose manifests GitOrch keeps applied.</summary>
public sealed class GitSource : KubeObject<GitSourceSpec, GitSourceStatus>
{
}

public sealed class GitSourceSpec : Extensible
{
    public string Url { get; set; } = "";
    public GitSourceRef? Ref { get; set; }
    public string? Path { get; set; }
    /// <summary>Go-style duration ("1m", "30s"); default 1m.</summary>
    public string? Interval { get; set; }
    public string? Timeout { get; set; }
    public LocalObjectReference? SecretRef { get; set; }
    public bool? Prune { get; set; }
    public bool? Suspend { get; set; }
    public string? TargetNamespace { get; set; }
    public GitSourcePreviews? Previews { get; set; }
    public GitSourceWebhook? Webhook { get; set; }
    /// <summary>Sources that must be Ready (applied and healthy) before this one applies (Flux's dependsOn).</summary>
    public List<GitSourceDependency>? DependsOn { get; set; }
    /// <summary>After applying, stay Reconciling until every applied object is healthy (Flux's wait).</summary>
    public bool? Wait { get; set; }
    /// <summary>Objects whose health gates Ready (instead of all of them with <see cref="Wait"/>).</summary>
    public List<HealthCheckReference>? HealthChecks { get; set; }
}

public sealed class GitSourceDependency : Extensible
{
    public string Name { get; set; } = "";
    /// <summary>Default: the depending source's namespace.</summary>
    public string? Namespace { get; set; }
}

public sealed class HealthCheckReference : Extensible
{
    public string? ApiVersion { get; set; }
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Default: the source's namespace (or targetNamespace).</summary>
    public string? Namespace { get; set; }
}

public sealed class GitSourceRef : Extensible
{
    public string? Branch { get; set; }
    public string? Tag { get; set; }
    public string? Semver { get; set; }
    public string? Commit { get; set; }
}

public sealed class GitSourcePreviews : Extensible
{
    public bool? Enabled { get; set; }
    /// <summary>Default refs/pull/*/head; GitLab's refs/merge-requests/*/head also works.</summary>
    public string? RefPattern { get; set; }
    public string? NamespacePrefix { get; set; }
    public int? MaxPreviews { get; set; }
}

public sealed class GitSourceWebhook : Extensible
{
    public LocalObjectReference? SecretRef { get; set; }
}

public sealed class GitSourceStatus : Extensible
{
    public long? ObservedGeneration { get; set; }
    public List<Condition>? Conditions { get; set; }
    public string? LastFetchedCommit { get; set; }
    public string? LastAppliedCommit { get; set; }
    public List<InventoryEntry>? Inventory { get; set; }
    public List<string>? Warnings { get; set; }
    public List<ReconcileRecord>? History { get; set; }
    public List<PreviewStatus>? Previews { get; set; }
    public string? LastHandledRequestedAt { get; set; }
}

public sealed class InventoryEntry : Extensible
{
    public string ApiVersion { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Namespace { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Hash of the applied manifest, so an unchanged object is skipped.</summary>
    public string? Hash { get; set; }
}

public sealed class ReconcileRecord : Extensible
{
    public string? Commit { get; set; }
    public string Result { get; set; } = "";
    public DateTimeOffset Started { get; set; }
    public double DurationMs { get; set; }
    public string? Message { get; set; }
}

public sealed class PreviewStatus : Extensible
{
    public int Number { get; set; }
    public string? Ref { get; set; }
    public string? Commit { get; set; }
    public string Namespace { get; set; } = "";
    public string? State { get; set; }
    public string? Message { get; set; }
}
