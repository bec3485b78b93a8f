using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;

namespace GitOrch.Module.Git;

/// <summary>
/// Picks the GitSource a change goes through. An object the source controller manages names its source
/// (label gitorch.io/source). A new object goes to the source given with -Source, else to the only GitSource there
/// is, else to the one in (or targeting) the object's namespace; several candidates is an error that asks for
/// -Source or -Direct; no GitSource at all means the change goes straight to the API.
/// </summary>
internal static class SourceLocator
{
    public static async Task<GitSource?> ForNewObjectAsync(GitOrchClient client, string targetNamespace, string? sourceName, string? sourceNamespace, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(sourceName))
        {
            var ns = sourceNamespace ?? targetNamespace;
            return await client.TryGetAsync<GitSource>(ns, sourceName!, ct).ConfigureAwait(false)
                ?? throw GitOrchCmdlet.Terminate(GitOrchErrors.NotFound(ResourceKinds.GitSource, sourceName!, ns));
        }

        var all = (await client.ListAsync<GitSource>(null, cancellationToken: ct).ConfigureAwait(false)).Items;
        if (all.Count <= 1)
        {
            return all.FirstOrDefault();
        }

        var local = all.Where(s => s.Namespace == targetNamespace || s.Spec?.TargetNamespace == targetNamespace).ToList();
        if (local.Count == 1)
        {
            return local[0];
        }

        throw GitOrchCmdlet.Terminate(GitOrchErrors.Create(
            GitOrchErrors.SourceAmbiguous, ErrorCategory.InvalidArgument, targetNamespace,
            $"Several GitSources could take this change ({string.Join(", ", all.Select(s => s.Namespace + "/" + s.Name))}). Name one with -Source, or use -Direct to change the cluster through the API."));
    }

    /// <summary>The source that manages <paramref name="obj"/>, or null when it was made through the API.</summary>
    public static async Task<GitSource?> ForManagedObjectAsync(GitOrchClient client, KubeObject obj, CancellationToken ct)
    {
        var label = obj.Metadata.Label(SourceAnnotations.Source);
        if (string.IsNullOrEmpty(label))
        {
            return null;
        }

        var dot = label!.IndexOf('.');
        var (ns, name) = dot < 0 ? (obj.Namespace ?? "default", label) : (label.Substring(0, dot), label.Substring(dot + 1));
        return await client.TryGetAsync<GitSource>(ns, name, ct).ConfigureAwait(false);
    }

    /// <summary>Where a new object's manifest goes: "&lt;spec.path&gt;/&lt;name&gt;-&lt;kind&gt;.yaml".</summary>
    public static string NewFilePath(GitSource source, KubeObject obj)
    {
        var dir = (source.Spec?.Path ?? "").Replace('\\', '/').Trim('/');
        if (dir.StartsWith("./", StringComparison.Ordinal))
        {
            dir = dir.Substring(2);
        }

        if (dir == ".")
        {
            dir = "";
        }

        var file = obj.Name + "-" + ResourceKinds.Of(obj).Kind.ToLowerInvariant() + ".yaml";
        return dir.Length == 0 ? file : dir + "/" + file;
    }

    /// <summary>
    /// Every live object the source defines in <paramref name="file"/> (a file may hold several documents), so the
    /// file can be rewritten whole. Ordered as they were found; <paramref name="replace"/> swaps in the changed one.
    /// </summary>
    public static async Task<List<KubeObject>> ObjectsInFileAsync(GitOrchClient client, GitSource source, string file, KubeObject replace, CancellationToken ct)
    {
        var label = source.Namespace + "." + source.Name;
        var kinds = (source.Status?.Inventory ?? new List<InventoryEntry>())
            .Select(e => ResourceKinds.TryFind(e.ApiVersion, e.Kind, out var k) ? k : null)
            .Where(k => k != null)
            .Select(k => k!)
            .Append(ResourceKinds.Of(replace))
            .Distinct()
            .ToList();

        var result = new List<KubeObject>();
        foreach (var kind in kinds)
        {
            var list = await client.ListAsync(kind, null, new ListOptions { LabelSelector = SourceAnnotations.Source + "=" + label }, ct).ConfigureAwait(false);
            foreach (var item in list.Items.Where(i => i.Metadata.Annotation(SourceAnnotations.File) == file))
            {
                var same = ResourceKinds.Of(item) == ResourceKinds.Of(replace) && item.Name == replace.Name && item.Namespace == replace.Namespace;
                result.Add(same ? replace : item);
            }
        }

        if (!result.Contains(replace))
        {
            result.Add(replace);
        }

        return result;
    }

    public static string NewBranchName(string verb, string name, DateTimeOffset now)
        => "gitorch/" + verb + "-" + name + "-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
}
