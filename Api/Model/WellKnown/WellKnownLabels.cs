namespace GitOrch.Api.Model;

/// <summary>
/// Labels that are part of GitOrch's wire contract: the Engine, the Agent and the module read and write them, so their
/// values are declared here once.
/// </summary>
public static class WellKnownLabels
{
    /// <summary>On every object a GitSource manages: "&lt;namespace&gt;.&lt;name&gt;" of the GitSource.</summary>
    public const string Source = "gitorch.io/source";

    /// <summary>On objects of a pull-request preview: the PR number.</summary>
    public const string Preview = "gitorch.io/preview";

    /// <summary>On ReplicaSets and their Pods: hash of the Pod template that distinguishes one revision's Pods.</summary>
    public const string PodTemplateHash = "pod-template-hash";
}
