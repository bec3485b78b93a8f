using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>
/// Wait-Deployment: waits until a rollout is complete — the controller saw the latest spec and every desired
/// replica is updated, ready and available, with no old Pods left — showing updated/ready counts as progress.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "Deployment", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(DeploymentInfo), typeof(System.Management.Automation.Job))]
public sealed class WaitDeploymentCommand : WaitCmdlet<Deployment>
{
    public WaitDeploymentCommand()
        : base(TimeSpan.FromMinutes(5))
    {
    }

    protected override async Task ProcessObjectAsync(Deployment obj)
    {
        var watch = Stopwatch.StartNew();
        var (last, error) = await WaitUntilAsync($"Waiting for deployment {obj.Namespace}/{obj.Name}", obj, (Timeout, PollInterval),
            d => LookAsync(d, watch.Elapsed),
            d => Client.GetAsync<Deployment>(d.Namespace, d.Name, CancellationToken),
            (d, status) => GitOrchErrors.Create(GitOrchErrors.WaitTimeout, ErrorCategory.OperationTimeout, d.Name,
                $"Deployment {d.Namespace}/{d.Name} did not finish its rollout within {Timeout.TotalSeconds:0} s: {status}."));
        if (error != null)
        {
            throw Terminate(error);
        }

        if (PassThru)
        {
            WriteObject(new DeploymentInfo(last));
        }
    }

    private async Task<WaitStep> LookAsync(Deployment d, TimeSpan waited)
    {
        var desired = d.Spec?.Replicas ?? 1;
        var s = d.Status ?? new DeploymentStatus();
        int updated = s.UpdatedReplicas ?? 0, ready = s.ReadyReplicas ?? 0, available = s.AvailableReplicas ?? 0, total = s.Replicas ?? 0;
        var observed = (s.ObservedGeneration ?? 0) >= (d.Metadata.Generation ?? 0);
        var text = $"updated {updated}/{desired}, ready {ready}/{desired}, available {available}/{desired}" + (total > desired ? $", {total - desired} old pending termination" : "");
        var waiting = await PodWaiting.OfAsync(Client, d, CancellationToken);
        if (waiting.Count > 0)
        {
            text += "; waiting: " + PodWaiting.Describe(waiting);
        }

        if (observed && updated >= desired && ready >= desired && available >= desired && total <= desired)
        {
            return WaitStep.Finished(text);
        }

        var stuck = s.Conditions?.FirstOrDefault(c => c.Type == "Progressing" && c.Reason == "ProgressDeadlineExceeded");
        if (observed && stuck != null)
        {
            return WaitStep.Failed(text, GitOrchErrors.Create("RolloutFailed", ErrorCategory.InvalidResult, d.Name, $"Deployment {d.Namespace}/{d.Name}: {stuck.Message ?? "progress deadline exceeded"} ({text})."));
        }

        // A Pod that cannot pull its image or keeps crashing will not become ready by waiting: say so now.
        var fatal = waiting.Where(w => PodWaiting.IsFatal(w, waited)).ToList();
        return fatal.Count > 0
            ? WaitStep.Failed(text, GitOrchErrors.Create("RolloutBlocked", ErrorCategory.ResourceUnavailable, new DeploymentInfo(d), $"Deployment {d.Namespace}/{d.Name} cannot become ready: {PodWaiting.Describe(fatal)}."))
            : WaitStep.Waiting(text, desired == 0 ? 100 : Math.Min(100, ready * 100 / desired));
    }
}
