using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Results;

namespace GitOrch.Module.Git;

/// <summary>
/// Writes a changed object back to its GitSource's repository as a commit on a new branch (the pull request to
/// open), through the source's <c>commits</c> subresource. A file that defines several objects is rewritten whole
/// from their live state, so the other documents in it survive.
/// </summary>
internal static class GitProposal
{
    public static async Task<GitChangeInfo> ProposeAsync(GitOrchClient client, GitSource source, KubeObject obj, string verb, string message, string? branch, CancellationToken ct)
    {
        var implicitNamespace = source.Spec?.TargetNamespace ?? source.Namespace;
        var file = obj.Metadata.Annotation(SourceAnnotations.File);
        string content;
        if (file == null)
        {
            file = SourceLocator.NewFilePath(source, obj);
            content = ManifestWriter.ToYaml(obj, implicitNamespace);
        }
        else
        {
            var objects = await SourceLocator.ObjectsInFileAsync(client, source, file, obj, ct).ConfigureAwait(false);
            content = ManifestWriter.ToYaml(objects, implicitNamespace);
        }

        var request = new SourceCommitRequest
        {
            Files = new Dictionary<string, string?>(StringComparer.Ordinal) { [file] = content },
            Message = message,
            Branch = branch ?? SourceLocator.NewBranchName(verb, obj.Name, DateTimeOffset.UtcNow),
        };
        var result = await client.CommitToSourceAsync(source.Namespace!, source.Name, request, ct).ConfigureAwait(false);
        return new GitChangeInfo("Propose", ResourceKinds.Of(obj).Kind, obj.Name, obj.Namespace, source.Namespace + "/" + source.Name, result.Branch ?? request.Branch, result.Commit, message, new[] { file });
    }

    public static async Task<GitChangeInfo> RevertAsync(GitOrchClient client, GitSource source, KubeObject obj, string commit, string message, string? branch, CancellationToken ct)
    {
        var request = new SourceRevertRequest { Commit = commit, Branch = branch, Message = message };
        var result = await client.RevertInSourceAsync(source.Namespace!, source.Name, request, ct).ConfigureAwait(false);
        var file = obj.Metadata.Annotation(SourceAnnotations.File);
        return new GitChangeInfo("Revert", ResourceKinds.Of(obj).Kind, obj.Name, obj.Namespace, source.Namespace + "/" + source.Name, result.Branch ?? branch, result.Commit, message, file == null ? Array.Empty<string>() : new[] { file });
    }
}
