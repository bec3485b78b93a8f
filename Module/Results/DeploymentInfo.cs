using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A Deployment as Get-Deployment shows it: READY, UP-TO-DATE, AVAILABLE, AGE.</summary>
public sealed class DeploymentInfo : ResourceInfo<Deployment>, IPodOwner
{
    public DeploymentInfo(Deployment d)
        : base(d)
    {
        Replicas = d.Spec?.Replicas ?? 1;
        ReadyReplicas = d.Status?.ReadyReplicas ?? 0;
        UpToDate = d.Status?.UpdatedReplicas ?? 0;
        Available = d.Status?.AvailableReplicas ?? 0;
        Images = d.Spec?.Template.Spec?.Containers.Select(c => c.Image ?? "").ToArray() ?? System.Array.Empty<string>();
        Revision = d.Metadata.Annotation(WellKnownAnnotations.DeploymentRevision);
        Source = d.Metadata.Label(WellKnownLabels.Source);
        Commit = d.Metadata.Annotation(WellKnownAnnotations.Commit);
        Paused = d.Spec?.Paused == true;
    }

    /// <summary>"ready/desired", as kubectl's READY column.</summary>
    public string Ready => ReadyReplicas + "/" + Replicas;

    public int Replicas { get; }

    public int ReadyReplicas { get; }

    public int UpToDate { get; }

    public int Available { get; }

    public string[] Images { get; }

    public string? Revision { get; }

    /// <summary>"namespace.name" of the GitSource that manages it, or null when it was made through the API.</summary>
    public string? Source { get; }

    /// <summary>The Git commit that last changed it (managed objects only).</summary>
    public string? Commit { get; }

    public bool Paused { get; }

    /// <summary>Label selector of its Pods, as text ("app=web").</summary>
    public string? PodSelector => GitOrch.Api.Selectors.Selector.FromLabelSelector(Object.Spec?.Selector).ToString();

    string? IPodOwner.PodNode => null;
}
