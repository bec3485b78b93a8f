using System.Management.Automation;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// What one look at a waited-for object found: keep waiting (with the progress text), done, or failed (the wait ends
/// at once with that error, e.g. a refused commit or a Pod that cannot pull its image).
/// </summary>
internal readonly struct WaitStep
{
    private WaitStep(string status, int? percent, bool done, ErrorRecord? failure)
    {
        Status = status;
        PercentComplete = percent;
        Done = done;
        Failure = failure;
    }

    public string Status { get; }

    public int? PercentComplete { get; }

    public bool Done { get; }

    public ErrorRecord? Failure { get; }

    public static WaitStep Waiting(string status, int? percentComplete = null) => new(status, percentComplete, false, null);

    public static WaitStep Finished(string status) => new(status, 100, true, null);

    public static WaitStep Failed(string status, ErrorRecord failure) => new(status, null, false, failure);
}
