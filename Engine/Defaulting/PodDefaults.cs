using GitOrch.Api.Model;

namespace GitOrch.Engine.Defaulting;

/// <summary>Kubernetes' Pod and PodSpec defaults (k8s.io/kubernetes pkg/apis/core/v1/defaults.go) and the server-set status fields.</summary>
public static class PodDefaults
{
    public const string TerminationMessagePath = "/dev/termination-log";

    public static void Apply(Pod pod, bool isCreate)
    {
        if (pod.Spec != null)
        {
            ApplySpec(pod.Spec, defaultRestartPolicy: true);
        }

        // The phase is the server's on create; later the node agent owns it. The QoS class follows the spec, so it
        // is kept when an agent writes a status of its own that leaves it out.
        pod.Status ??= new PodStatus();
        if (isCreate)
        {
            pod.Status.Phase ??= "Pending";
        }

        if (pod.Spec != null)
        {
            pod.Status.QosClass ??= PodQos.Of(pod.Spec);
        }
    }

    /// <param name="defaultRestartPolicy">False for Job templates, whose restartPolicy must be written (Never or OnFailure).</param>
    public static void ApplySpec(PodSpec spec, bool defaultRestartPolicy)
    {
        if (defaultRestartPolicy)
        {
            spec.RestartPolicy ??= "Always";
        }

        spec.DnsPolicy ??= "ClusterFirst";
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.SchedulerName ??= "default-scheduler";
        foreach (var c in spec.Containers.Concat(spec.InitContainers ?? []))
        {
            ApplyContainer(c);
        }
    }

    private static void ApplyContainer(Container c)
    {
        c.TerminationMessagePath ??= TerminationMessagePath;
        c.TerminationMessagePolicy ??= "File";
        c.ImagePullPolicy ??= PullPolicyFor(c.Image);
        foreach (var p in c.Ports ?? [])
        {
            p.Protocol ??= "TCP";
        }
    }

    /// <summary>Always for <c>:latest</c> or no tag (and no digest), IfNotPresent otherwise: Kubernetes' rule, and the agent's.</summary>
    public static string PullPolicyFor(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        return colon < 0 || lastSegment[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }
}
