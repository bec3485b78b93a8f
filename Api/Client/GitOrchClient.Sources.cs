using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Model;

namespace GitOrch.Api.Client;

/// <summary>The GitSource subresources: plan a ref, commit files, revert a commit (the module's pull-request flow).</summary>
public sealed partial class GitOrchClient
{
    public Task<SourcePlan> PlanSourceAsync(string ns, string name, string? gitRef, CancellationToken cancellationToken = default)
        => SendAsync<SourcePlan>(HttpMethod.Post, SourcePath(ns, name, "plan"), new SourcePlanRequest { Ref = gitRef }, cancellationToken);

    public Task<SourceCommitResult> CommitToSourceAsync(string ns, string name, SourceCommitRequest request, CancellationToken cancellationToken = default)
        => SendAsync<SourceCommitResult>(HttpMethod.Post, SourcePath(ns, name, "commits"), request, cancellationToken);

    public Task<SourceCommitResult> RevertInSourceAsync(string ns, string name, SourceRevertRequest request, CancellationToken cancellationToken = default)
        => SendAsync<SourceCommitResult>(HttpMethod.Post, SourcePath(ns, name, "revert"), request, cancellationToken);

    private static string SourcePath(string ns, string name, string subresource) => ResourceKinds.GitSource.ObjectPath(ns, name) + "/" + subresource;
}
