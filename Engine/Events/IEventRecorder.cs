using GitOrch.Api.Model;

namespace GitOrch.Engine.Events;

/// <summary>Records what a person would want to see happened to an object ("Scheduled", "FailedScheduling", ...).</summary>
public interface IEventRecorder
{
    /// <summary>Queues an Event; identical events (same object, type, reason, message) fold into one with a count.</summary>
    void Record(KubeObject involved, string type, string reason, string message, string component = "gitorch-engine");

    /// <summary>Waits until every event queued so far is stored (tests, shutdown).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}

public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
