using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>
/// Why the Pods of a rollout are not running yet: each container's waiting reason, for Wait-Deployment's progress
/// record and for stopping early when waiting longer cannot help (ImagePullBackOff, CrashLoopBackOff, ...).
/// </summary>
internal static class PodWaiting
{
    /// <summary>Reasons the kubelet (here: the agent) gives when the container will not start without a change.</summary>
    private static readonly HashSet<string> Fatal = new(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "CrashLoopBackOff", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError",
    };

    /// <summary>ErrImagePull is the first failed pull; the agent retries once before backing off, so it counts after a grace.</summary>
    private static readonly TimeSpan PullGrace = TimeSpan.FromSeconds(15);

    public sealed class Reason
    {
        public Reason(string pod, string container, string why, string? message)
        {
            Pod = pod;
            Container = container;
            Why = why;
            Message = message;
        }

        public string Pod { get; }

        public string Container { get; }

        public string Why { get; }

        public string? Message { get; }
    }

    /// <summary>Waiting containers of the selected Pods that run the template's images (old Pods of a rollout that fixes them do not count).</summary>
    public static async Task<List<Reason>> OfAsync(GitOrchClient client, Deployment d, CancellationToken ct)
    {
        var ns = d.Namespace;
        var selector = d.Spec?.Selector;
        var images = new HashSet<string>(d.Spec?.Template.Spec?.Containers.Select(c => c.Image ?? "") ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
        var result = new List<Reason>();
        var text = Selector.FromLabelSelector(selector).ToString();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        foreach (var pod in (await client.ListAsync<Pod>(ns, text, null, ct).ConfigureAwait(true)).Items)
        {
            if (pod.Spec?.Containers.Any(c => !images.Contains(c.Image ?? "")) == true)
            {
                continue;
            }

            var statuses = (pod.Status?.InitContainerStatuses ?? new List<ContainerStatus>()).Concat(pod.Status?.ContainerStatuses ?? new List<ContainerStatus>());
            foreach (var c in statuses)
            {
                if (c.State?.Waiting?.Reason is { Length: > 0 } why && why != "ContainerCreating" && why != "PodInitializing")
                {
                    result.Add(new Reason(pod.Name, c.Name, why, c.State.Waiting.Message));
                }
            }
        }

        return result;
    }

    public static bool IsFatal(Reason r, TimeSpan waited) => Fatal.Contains(r.Why) || (r.Why == "ErrImagePull" && waited > PullGrace);

    /// <summary>"web-1 ImagePullBackOff (Back-off pulling image ...), web-2 CrashLoopBackOff".</summary>
    public static string Describe(IEnumerable<Reason> reasons)
        => string.Join(", ", reasons.Select(r => $"{r.Pod} {r.Why}" + (string.IsNullOrEmpty(r.Message) ? "" : $" ({r.Message})")));
}
