using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Autoscaling;

namespace GitOrch.Tests.Infrastructure.Autoscaling;

/// <summary>Pods and samples for autoscaler tests: Running and Ready long enough ago that CPU samples count.</summary>
public static class HpaPods
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static Pod Ready(string name, string cpuRequest = "1", string? memoryRequest = null, Dictionary<string, string>? labels = null)
    {
        var requests = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse(cpuRequest) };
        if (memoryRequest != null)
        {
            requests["memory"] = Quantity.Parse(memoryRequest);
        }

        var started = Now - TimeSpan.FromMinutes(10);
        return new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Labels = labels ?? new() { ["app"] = "web" } },
            Spec = new PodSpec { Containers = [new Container { Name = "app", Image = "busybox", Resources = new ResourceRequirements { Requests = requests } }] },
            Status = new PodStatus
            {
                Phase = PodPhases.Running,
                StartTime = started,
                Conditions = [new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True, LastTransitionTime = started + TimeSpan.FromSeconds(5) }],
            },
        };
    }

    /// <summary>Started a minute ago and not (yet) ready: an unready Pod for CPU.</summary>
    public static Pod Unready(string name)
    {
        var pod = Ready(name);
        pod.Status!.StartTime = Now - TimeSpan.FromMinutes(1);
        pod.Status.Conditions![0].Status = ConditionStatus.False;
        pod.Status.Conditions[0].LastTransitionTime = Now - TimeSpan.FromMinutes(1);
        return pod;
    }

    public static Pod InPhase(string name, string phase)
    {
        var pod = Ready(name);
        pod.Status!.Phase = phase;
        return pod;
    }

    /// <summary>Samples in milli-units, taken just now over a 1 s window.</summary>
    public static Dictionary<string, PodMetric> Samples(params (string Pod, long Milli)[] samples)
        => samples.ToDictionary(s => s.Pod, s => new PodMetric(s.Milli, Now - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
}
