using System;
using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A Job: NAME STATUS COMPLETIONS DURATION AGE.</summary>
public sealed class JobInfo : ResourceInfo<Job>, IPodOwner
{
    public JobInfo(Job job)
        : base(job)
    {
        Completions = job.Spec?.Completions ?? 1;
        Succeeded = job.Status?.Succeeded ?? 0;
        Failed = job.Status?.Failed ?? 0;
        Active = job.Status?.Active ?? 0;
        var conditions = job.Status?.Conditions;
        Status = conditions?.Any(c => c.Type == ConditionTypes.Complete && c.Status == ConditionStatus.True) == true ? ConditionTypes.Complete
            : conditions?.Any(c => c.Type == ConditionTypes.Failed && c.Status == ConditionStatus.True) == true ? ConditionTypes.Failed
            : job.Spec?.Suspend == true ? ConditionTypes.Suspended
            : "Running";
        if (job.Status?.StartTime is { } start)
        {
            Duration = (job.Status.CompletionTime ?? DateTimeOffset.UtcNow) - start;
        }
    }

    public string Status { get; }

    /// <summary>"succeeded/completions", as kubectl's COMPLETIONS column.</summary>
    public string CompletionsText => Succeeded + "/" + Completions;

    public int Completions { get; }

    public int Succeeded { get; }

    public int Failed { get; }

    public int Active { get; }

    public TimeSpan? Duration { get; }

    /// <summary>Label selector of its Pods, as text ("app=web").</summary>
    public string? PodSelector => GitOrch.Api.Selectors.Selector.FromLabelSelector(Object.Spec?.Selector).ToString();

    string? IPodOwner.PodNode => null;
}
