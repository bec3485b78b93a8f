using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Controllers.Deployments;

/// <summary>
/// The rollback operation for the HTTP API and the module: it only records the request as the
/// <see cref="DeploymentAnnotations.RollbackTo"/> annotation; the Deployment controller carries it out (so a rollback
/// asked while the Engine restarts is not lost, and Git-driven and manual rollbacks take one path).
/// </summary>
public static class DeploymentRollback
{
    /// <summary>Requests a rollback to <paramref name="revision"/> (0: the previous revision).</summary>
    public static async Task<Deployment> RequestAsync(IObjectStore store, string ns, string name, long revision = 0, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var d = store.Get<Deployment>(ns, name) ?? throw StoreException.NotFound(ResourceKinds.Deployment, name);
            d.Metadata.Annotations ??= new Dictionary<string, string>();
            d.Metadata.Annotations[DeploymentAnnotations.RollbackTo] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                return await store.UpdateAsync(d, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException e) when (e.IsConflict && attempt < 5)
            {
            }
        }
    }
}
