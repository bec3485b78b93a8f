namespace GitOrch.Engine.Store.Etcd;

public sealed partial class EtcdObjectStore
{
    [LoggerMessage(EventId = 1900, Level = LogLevel.Warning, Message = "Lost the watch on {Datastore} ({Code}: {Detail}); serving the last known state from memory and reconnecting")]
    private partial void LogFeedLost(string datastore, Grpc.Core.StatusCode code, string detail);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "The watch's resume revision {Revision} was compacted (oldest kept {Compacted}); reloading every object and ending watches with 410")]
    private partial void LogFeedCompacted(long revision, long compacted);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Debug, Message = "Compacted etcd history up to revision {Revision}")]
    private partial void LogCompacted(long revision);
}
