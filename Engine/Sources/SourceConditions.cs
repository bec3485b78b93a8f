using GitOrch.Api.Model;

namespace GitOrch.Engine.Sources;

/// <summary>Condition types and reasons of a GitSource; an Event's reason is always the condition's reason.</summary>
public static class SourceConditions
{
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";

    public const string Succeeded = "Succeeded";
    public const string Progressing = "Progressing";
    public const string FetchFailed = "FetchFailed";
    public const string ValidationFailed = "ValidationFailed";
    public const string ApplyFailed = "ApplyFailed";
    public const string SecretNotFound = "SecretNotFound";
    public const string Suspended = "Suspended";

    /// <summary>Sets a condition; lastTransitionTime moves only when the status flips.</summary>
    public static void Set(GitSourceStatus status, string type, string value, string reason, string message, long? generation, DateTimeOffset now)
    {
        var list = status.Conditions ??= new List<Condition>();
        var c = list.FirstOrDefault(x => x.Type == type);
        if (c == null)
        {
            c = new Condition { Type = type };
            list.Add(c);
        }

        if (c.Status != value || c.LastTransitionTime == null)
        {
            c.LastTransitionTime = now;
        }

        c.Status = value;
        c.Reason = reason;
        c.Message = message;
        c.ObservedGeneration = generation;
    }

    public static Condition? Get(GitSourceStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(GitSourceStatus? status, string type) => Get(status, type)?.Status == ConditionStatus.True;
}
