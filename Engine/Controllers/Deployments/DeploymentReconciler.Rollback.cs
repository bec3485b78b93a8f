using System.Globalization;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Controllers.Common;
using GitOrch.Engine.Events;

namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>Rollback: a kept revision's Pod template becomes the Deployment's template again (kubectl rollout undo).</summary>
public sealed partial class DeploymentReconciler
{
    private async Task RollbackAsync(Deployment d, string requested, List<ReplicaSetView> views, CancellationToken ct)
    {
        long.TryParse(requested, NumberStyles.Integer, CultureInfo.InvariantCulture, out var target);
        var currentTemplate = PodTemplateHash.Canonical(d.Spec!.Template);
        var current = views.Where(v => PodTemplateHash.Canonical(v.ReplicaSet.Spec!.Template) == currentTemplate).Select(v => v.Revision).DefaultIfEmpty(long.MaxValue).Max();
        var to = target > 0
            ? views.FirstOrDefault(v => v.Revision == target)
            : views.Where(v => v.Revision < current).OrderByDescending(v => v.Revision).FirstOrDefault();
        if (to == null)
        {
            var copy = KubeJson.Clone(d);
            copy.Metadata.Annotations!.Remove(DeploymentAnnotations.RollbackTo);
            await _store.UpdateAsync(copy, ct).ConfigureAwait(false);
            _events.Record(d, EventTypes.Warning, "RollbackRevisionNotFound", target > 0 ? $"Unable to find revision {target} to roll back to" : "Unable to find the previous revision to roll back to");
            return;
        }

        await RollbackToAsync(d, to, "RolledBack", $"Rolled back deployment \"{d.Metadata.Name}\" to revision {to.Revision}", "requested", ct).ConfigureAwait(false);
    }

    /// <summary>Copies the ReplicaSet's template (minus its pod-template-hash label) into the Deployment and clears any rollback request.</summary>
    private async Task RollbackToAsync(Deployment d, ReplicaSetView to, string reason, string message, string why, CancellationToken ct)
    {
        // Fresh from the store: this reconcile may just have written the Deployment's status or annotations.
        var copy = _store.Get<Deployment>(d.Metadata.Namespace, d.Metadata.Name!);
        if (copy == null || copy.Metadata.Uid != d.Metadata.Uid)
        {
            return;
        }

        var template = KubeJson.Clone(to.ReplicaSet.Spec!.Template);
        if (template.Metadata?.Labels != null)
        {
            template.Metadata.Labels.Remove(DeploymentAnnotations.PodTemplateHash);
        }

        copy.Spec!.Template = template;
        copy.Metadata.Annotations?.Remove(DeploymentAnnotations.RollbackTo);
        var written = await _store.UpdateAsync(copy, ct).ConfigureAwait(false);
        await _deployments.WaitForRevisionAsync(Revisions.Of(written), _controllerOptions.CacheSyncTimeout, ct).ConfigureAwait(false);
        _events.Record(d, reason == "RolledBack" && why != "requested" ? EventTypes.Warning : EventTypes.Normal, reason, message);
        Log.RolledBack(_logger, d.Metadata.Name!, to.Revision, why);
    }
}
