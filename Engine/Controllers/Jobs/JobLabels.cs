namespace GitOrch.Engine.Controllers.Jobs;

/// <summary>The labels and annotations Kubernetes puts on a Job's Pods; tools and people select by them.</summary>
public static class JobLabels
{
    public const string ControllerUid = "batch.kubernetes.io/controller-uid";
    public const string JobName = "batch.kubernetes.io/job-name";

    /// <summary>The pre-1.27 names, still set by Kubernetes for selectors written against them.</summary>
    public const string LegacyControllerUid = "controller-uid";
    public const string LegacyJobName = "job-name";

    /// <summary>Indexed Jobs: on the Pod as annotation and label, and in every container as env JOB_COMPLETION_INDEX.</summary>
    public const string CompletionIndex = "batch.kubernetes.io/job-completion-index";

    public const string CompletionIndexEnv = "JOB_COMPLETION_INDEX";
}
