using Docker.DotNet.Models;

namespace GitOrch.Agent.Runtime;

/// <summary>One Docker container of a Pod's container (one attempt), as inspected.</summary>
public sealed record ContainerInstance
{
    public required string Id { get; init; }
    public required string PodUid { get; init; }
    public required string ContainerName { get; init; }
    public required bool IsInit { get; init; }

    /// <summary>The Pod's sandbox (network namespace holder), not one of its containers.</summary>
    public bool IsSandbox { get; init; }
    public required int Attempt { get; init; }
    public required int BackoffStep { get; init; }
    public required string Image { get; init; }
    public string? ImageId { get; init; }
    public bool Running { get; init; }

    /// <summary>Created but never started (start failed or the agent died between create and start).</summary>
    public bool NeverStarted { get; init; }
    public long ExitCode { get; init; }
    public bool OomKilled { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public bool Exited => !Running;

    public static ContainerInstance From(ContainerInspectResponse c)
    {
        IDictionary<string, string> labels = c.Config?.Labels ?? new Dictionary<string, string>();
        var state = c.State ?? new State();
        var started = ParseTime(state.StartedAt);
        return new ContainerInstance
        {
            Id = c.ID,
            PodUid = Label(labels, AgentLabels.PodUid) ?? "",
            ContainerName = Label(labels, AgentLabels.ContainerName) ?? "",
            IsInit = Label(labels, AgentLabels.ContainerKind) == "init",
            IsSandbox = Label(labels, AgentLabels.ContainerKind) == AgentLabels.SandboxKind,
            Attempt = int.TryParse(Label(labels, AgentLabels.Attempt), out var a) ? a : 0,
            BackoffStep = int.TryParse(Label(labels, AgentLabels.BackoffStep), out var b) ? b : 0,
            Image = c.Config?.Image ?? "",
            ImageId = c.Image,
            Running = state.Running || state.Restarting,
            NeverStarted = started == null && !state.Running,
            ExitCode = state.ExitCode,
            OomKilled = state.OOMKilled,
            Error = string.IsNullOrEmpty(state.Error) ? null : state.Error,
            StartedAt = started,
            FinishedAt = ParseTime(state.FinishedAt),
        };
    }

    private static string? Label(IDictionary<string, string> labels, string key) => labels.TryGetValue(key, out var v) ? v : null;

    // Docker reports "0001-01-01T00:00:00Z" for "never".
    private static DateTimeOffset? ParseTime(string? s)
        => DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;
}
