using System.Collections.Concurrent;
using GitOrch.Api.Model;
using GitOrch.Engine.Events;

namespace GitOrch.Tests.Infrastructure.Controllers;

/// <summary>Keeps recorded events in memory so tests can assert what a person would have been told.</summary>
public sealed class RecordingEvents : IEventRecorder
{
    public ConcurrentQueue<(string Object, string Type, string Reason, string Message)> Events { get; } = new();

    public void Record(KubeObject involved, string type, string reason, string message, string component = "gitorch-engine")
        => Events.Enqueue((involved.Metadata.Name ?? "", type, reason, message));

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public bool Has(string reason) => Events.Any(e => e.Reason == reason);
}
