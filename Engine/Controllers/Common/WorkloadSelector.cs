using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Runtime;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>
/// The selector of a workload (Deployment, ReplicaSet, DaemonSet, StatefulSet). An invalid or empty one is the user's
/// to fix, so the reconcile ends as Terminal instead of retrying: an empty selector would claim every Pod.
/// </summary>
internal static class WorkloadSelector
{
    public static bool TryParse(LabelSelector? labelSelector, out Selector selector, out ReconcileResult failure)
    {
        failure = ReconcileResult.Done;
        try
        {
            selector = Selector.FromLabelSelector(labelSelector);
        }
        catch (FormatException e)
        {
            selector = Selector.Everything;
            failure = ReconcileResult.Terminal("invalid selector: " + e.Message);
            return false;
        }

        if (selector.IsEmpty)
        {
            failure = ReconcileResult.Terminal("empty selector");
            return false;
        }

        return true;
    }
}
