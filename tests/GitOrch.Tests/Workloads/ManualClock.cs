namespace GitOrch.Tests.Workloads;

/// <summary>A clock the test moves by hand; controllers read it through TimeProvider. Timers are not driven: tests call reconcilers directly.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset start) => _now = start;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (this)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (this)
        {
            _now += by;
        }
    }

    public void Set(DateTimeOffset to)
    {
        lock (this)
        {
            _now = to;
        }
    }
}
