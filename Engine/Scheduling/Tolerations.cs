using GitOrch.Api.Model;

namespace GitOrch.Engine.Scheduling;

/// <summary>Whether a Pod tolerates a taint (shared by the scheduler and the node lifecycle controller's eviction).</summary>
public static class Tolerations
{
    public static bool Tolerates(Toleration t, Taint taint)
    {
        if (!string.IsNullOrEmpty(t.Effect) && t.Effect != taint.Effect)
        {
            return false;
        }

        if (string.IsNullOrEmpty(t.Key))
        {
            // An empty key with Exists tolerates everything.
            return t.Operator == "Exists";
        }

        if (t.Key != taint.Key)
        {
            return false;
        }

        return t.Operator == "Exists" || (t.Value ?? "") == (taint.Value ?? "");
    }

    /// <summary>The first toleration of <paramref name="pod"/> that matches the taint, or null.</summary>
    public static Toleration? Find(Pod pod, Taint taint)
    {
        var list = pod.Spec?.Tolerations;
        if (list == null)
        {
            return null;
        }

        foreach (var t in list)
        {
            if (Tolerates(t, taint))
            {
                return t;
            }
        }

        return null;
    }
}
