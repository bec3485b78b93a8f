using System;
using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class Job : KubeObject<JobSpec, JobStatus>
{
}

public sealed class JobSpec : Extensible
{
    public int? Parallelism { get; set; }
    public int? Completions { get; set; }
    public long? ActiveDeadlineSeconds { get; set; }
    public int? BackoffLimit { get; set; }
    public int? TtlSecondsAfterFinished { get; set; }
    /// <summary>NonIndexed (default) or Indexed.</summary>
    public string? CompletionMode { get; set; }
    public bool? Suspend { get; set; }
    public LabelSelector? Selector { get; set; }
    public bool? ManualSelector { get; set; }
    public PodTemplateSpec Template { get; set; } = new();
}

public sealed class JobStatus : Extensible
{
    public List<Condition>? Conditions { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? CompletionTime { get; set; }
    public int? Active { get; set; }
    public int? Succeeded { get; set; }
    public int? Failed { get; set; }
    public string? CompletedIndexes { get; set; }
    public int? Ready { get; set; }
}

public sealed class CronJob : KubeObject<CronJobSpec, CronJobStatus>
{
}

public sealed class CronJobSpec : Extensible
{
    public string Schedule { get; set; } = "";
    public string? TimeZone { get; set; }
    public long? StartingDeadlineSeconds { get; set; }
    /// <summary>Allow (default), Forbid or Replace.</summary>
    public string? ConcurrencyPolicy { get; set; }
    public bool? Suspend { get; set; }
    public JobTemplateSpec JobTemplate { get; set; } = new();
    public int? SuccessfulJobsHistoryLimit { get; set; }
    public int? FailedJobsHistoryLimit { get; set; }
}

public sealed class JobTemplateSpec : Extensible
{
    public ObjectMeta? Metadata { get; set; }
    public JobSpec? Spec { get; set; }
}

public sealed class CronJobStatus : Extensible
{
    public List<ObjectReference>? Active { get; set; }
    public DateTimeOffset? LastScheduleTime { get; set; }
    public DateTimeOffset? LastSuccessfulTime { get; set; }
}
