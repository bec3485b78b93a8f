using GitOrch.Api.Model;
using GitOrch.Engine.Controllers.Common;

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
    public const string DependencyNotReady = "DependencyNotReady";
    public const string DependencyCycle = "DependencyCycle";
    public const string HealthCheckFailed = "HealthCheckFailed";

    /// <summary>
    /// Sets a condition through <see cref="Conditions.Set(List{Condition}, Condition, DateTimeOffset, bool)"/>:
    /// lastTransitionTime moves only when the status flips (or when a condition read back carries none).
    /// </summary>
    public static void Set(GitSourceStatus status, Condition desired, DateTimeOffset now)
    {
        var list = status.Conditions ??= new List<Condition>();
        var existing = Conditions.Find(list, desired.Type);
        Conditions.Set(list, desired, now);
        if (existing is { LastTransitionTime: null })
        {
            existing.LastTransitionTime = now;
        }
    }

    public static Condition? Get(GitSourceStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(GitSourceStatus? status, string type) => Get(status, type)?.Status == ConditionStatus.True;
}
