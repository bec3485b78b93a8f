namespace GitOrch.Engine.Coordination;

internal sealed partial class LeaderElector
{
    [LoggerMessage(EventId = 1950, Level = LogLevel.Information, Message = "{Identity} became the leader (lease term {Term}); starting controllers")]
    private partial void LogAcquired(string identity, int term);

    [LoggerMessage(EventId = 1951, Level = LogLevel.Warning, Message = "{Identity} lost the lease (term {Term}, no renewal for {Seconds:0.0} s); stopping controllers")]
    private partial void LogLost(string identity, int term, double seconds);

    [LoggerMessage(EventId = 1952, Level = LogLevel.Debug, Message = "Lease attempt failed ({Code}): {Message}")]
    private partial void LogAttemptFailed(int code, string message);

    [LoggerMessage(EventId = 1953, Level = LogLevel.Warning, Message = "Stopping {Component} at the end of a term failed: {Message}")]
    private partial void LogStopFailed(string component, string message);
}
