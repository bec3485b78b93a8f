using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>Setting status conditions the way the API conventions ask: lastTransitionTime moves only when the status flips.</summary>
public static class Conditions
{
    public static Condition? Find(List<Condition>? conditions, string type)
        => conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Sets a condition; returns true if anything a reader would notice changed.</summary>
    public static bool Set(ref List<Condition>? conditions, string type, string status, string? reason, string? message, DateTimeOffset now, long? observedGeneration = null, bool touchUpdateTime = false)
    {
        conditions ??= new List<Condition>();
        var c = conditions.FirstOrDefault(x => x.Type == type);
        if (c == null)
        {
            conditions.Add(new Condition
            {
                Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = now,
                LastUpdateTime = touchUpdateTime ? now : null, ObservedGeneration = observedGeneration,
            });
            return true;
        }

        var changed = c.Status != status || c.Reason != reason || c.Message != message || c.ObservedGeneration != observedGeneration;
        if (c.Status != status)
        {
            c.LastTransitionTime = now;
        }

        c.Status = status;
        c.Reason = reason;
        c.Message = message;
        c.ObservedGeneration = observedGeneration;
        if (touchUpdateTime || changed)
        {
            if (touchUpdateTime || c.LastUpdateTime != null)
            {
                c.LastUpdateTime = now;
            }
        }

        return changed || touchUpdateTime;
    }
}
