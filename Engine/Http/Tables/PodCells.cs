using GitOrch.Api.Model;

namespace GitOrch.Engine.Http.Tables;

/// <summary>The READY and STATUS cells of a Pod, by kubectl's rules: the reason of a waiting or terminated container wins over the phase.</summary>
internal static class PodCells
{
    public static string Ready(Pod pod)
        => $"{pod.Status?.ContainerStatuses?.Count(c => c.Ready) ?? 0}/{pod.Spec?.Containers.Count ?? 0}";

    public static string Status(Pod pod)
    {
        var reason = pod.Status?.Reason ?? pod.Status?.Phase ?? "Pending";
        foreach (var c in pod.Status?.ContainerStatuses ?? [])
        {
            if (c.State?.Waiting?.Reason is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (c.State?.Terminated?.Reason is { Length: > 0 } terminated)
            {
                reason = terminated;
            }
        }

        return pod.Metadata.DeletionTimestamp != null ? "Terminating" : reason;
    }
}
