using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>
/// Status conditions the way the API conventions ask, after apimachinery's <c>meta.SetStatusCondition</c>:
/// lastTransitionTime moves only when the status flips.
/// </summary>
public static class Conditions
{
    public static Condition? Find(List<Condition>? conditions, string type)
        => conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Whether the condition <paramref name="type"/> is there with status True.</summary>
    public static bool IsTrue(List<Condition>? conditions, string type)
        => Find(conditions, type)?.Status == ConditionStatus.True;

    /// <summary>
    /// Sets the condition of <paramref name="desired"/>'s type to its status, reason, message and observedGeneration;
    /// returns true if anything a reader would notice changed. A new condition is added as <paramref name="desired"/>
    /// itself. <paramref name="touchUpdateTime"/>: move lastUpdateTime to now even if nothing changed (Deployments' Progressing).
    /// </summary>
    public static bool Set(List<Condition> conditions, Condition desired, DateTimeOffset now, bool touchUpdateTime = false)
    {
        var c = conditions.FirstOrDefault(x => x.Type == desired.Type);
        if (c == null)
        {
            desired.LastTransitionTime = now;
            desired.LastUpdateTime = touchUpdateTime ? now : null;
            conditions.Add(desired);
            return true;
        }

        var changed = c.Status != desired.Status || c.Reason != desired.Reason || c.Message != desired.Message || c.ObservedGeneration != desired.ObservedGeneration;
        if (c.Status != desired.Status)
        {
            c.LastTransitionTime = now;
        }

        c.Status = desired.Status;
        c.Reason = desired.Reason;
        c.Message = desired.Message;
        c.ObservedGeneration = desired.ObservedGeneration;
        if ((touchUpdateTime || changed) && (touchUpdateTime || c.LastUpdateTime != null))
        {
            c.LastUpdateTime = now;
        }

        return changed || touchUpdateTime;
    }
}
