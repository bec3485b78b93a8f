using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>Where controllers report decisions a person wants to see (ScalingReplicaSet, FailedScheduling, ...). Fire and forget.</summary>
public interface IEventSink
{
    void Record(KubeObject involved, string type, string reason, string message);
}

public static class EventSinkExtensions
{
    public static void Normal(this IEventSink sink, KubeObject involved, string reason, string message) => sink.Record(involved, "Normal", reason, message);

    public static void Warning(this IEventSink sink, KubeObject involved, string reason, string message) => sink.Record(involved, "Warning", reason, message);
}
