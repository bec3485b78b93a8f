using System;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>A CronJob: NAME SCHEDULE SUSPEND ACTIVE LAST SCHEDULE AGE.</summary>
public sealed class CronJobInfo : ResourceInfo<CronJob>
{
    public CronJobInfo(CronJob cj)
        : base(cj)
    {
        Schedule = cj.Spec?.Schedule ?? "";
        TimeZone = cj.Spec?.TimeZone;
        Suspend = cj.Spec?.Suspend == true;
        Active = cj.Status?.Active?.Count ?? 0;
        LastSchedule = cj.Status?.LastScheduleTime;
    }

    public string Schedule { get; }

    public string? TimeZone { get; }

    public bool Suspend { get; }

    public int Active { get; }

    public DateTimeOffset? LastSchedule { get; }

    public TimeSpan? LastScheduleAge => Formatting.Age.Since(LastSchedule);
}
