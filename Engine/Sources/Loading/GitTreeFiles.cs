using System.Text;
using LibGit2Sharp;

namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// Lists the manifest files of a commit straight from Git's object database (no checkout, so nothing
/// in the repository ever touches the Engine's disk). Symlinks are resolved inside the tree and refused
/// when they point outside the repository.
/// </summary>
public static class GitTreeFiles
{
    private const int MaxLinkHops = 8;

    public static IReadOnlyList<ManifestFile> List(Commit commit, string? path, LoaderLimits limits, List<Loading.ManifestIssue> errors)
    {
        var files = new List<ManifestFile>();
        var root = NormalizePath(path);
        Tree tree;
        if (root.Length == 0)
        {
            tree = commit.Tree;
        }
        else
        {
            var entry = commit.Tree[root];
            if (entry?.Target is not Tree t)
            {
                errors.Add(new ManifestIssue(root, 0, $"path \"{root}\" is not a folder in commit {commit.Sha[..7]}"));
                return files;
            }

            tree = t;
        }

        Walk(commit, tree, root, limits, files, errors);
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    private static void Walk(Commit commit, Tree tree, string prefix, LoaderLimits limits, List<ManifestFile> files, List<ManifestIssue> errors)
    {
        foreach (var entry in tree)
        {
            // Hidden files and folders (.github, .git-crypt, editor droppings) are never manifests.
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            var full = prefix.Length == 0 ? entry.Name : prefix + "/" + entry.Name;
            if (entry.TargetType == TreeEntryTargetType.Tree)
            {
                Walk(commit, (Tree)entry.Target, full, limits, files, errors);
                continue;
            }

            if (entry.TargetType != TreeEntryTargetType.Blob || !IsManifestName(entry.Name))
            {
                continue; // submodules and other files
            }

            if (files.Count >= limits.MaxFiles)
            {
                errors.Add(new ManifestIssue(full, 0, $"too many manifest files (more than {limits.MaxFiles})"));
                return;
            }

            if (entry.Mode == Mode.SymbolicLink)
            {
                var blob = ResolveLink(commit, full, (Blob)entry.Target, out var linkError);
                if (blob == null)
                {
                    files.Add(new ManifestFile(full, null, linkError));
                    continue;
                }

                files.Add(new ManifestFile(full, null, null, blob.Sha, Reader(blob, limits)));
                continue;
            }

            // Only the id is taken here: reading a blob (even its size) costs an object load, and unchanged
            // files are never read at all thanks to the manifest cache.
            files.Add(new ManifestFile(full, null, null, entry.Target.Sha, Reader((Blob)entry.Target, limits)));
        }
    }

    private static Func<string> Reader(Blob blob, LoaderLimits limits) => () =>
    {
        if (blob.Size > limits.MaxFileBytes)
        {
            throw new InvalidDataException($"file is {blob.Size} bytes, larger than the limit of {limits.MaxFileBytes}");
        }

        using var content = blob.GetContentStream();
        using var bytes = new MemoryStream((int)blob.Size);
        content.CopyTo(bytes);
        return StrictUtf8.Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
    };

    /// <summary>Follows a symlink inside the commit; anything leaving the repository is an error.</summary>
    private static Blob? ResolveLink(Commit commit, string linkPath, Blob link, out string? error)
    {
        for (var hop = 0; hop < MaxLinkHops; hop++)
        {
            var target = link.GetContentText(Encoding.UTF8);
            if (target.StartsWith('/') || target.Contains('\\', StringComparison.Ordinal) || (target.Length > 1 && target[1] == ':'))
            {
                error = $"symlink to \"{target}\" leaves the repository";
                return null;
            }

            var dir = linkPath.Contains('/', StringComparison.Ordinal) ? linkPath[..linkPath.LastIndexOf('/')] : "";
            var resolved = Resolve(dir, target);
            if (resolved == null)
            {
                error = $"symlink to \"{target}\" leaves the repository";
                return null;
            }

            var entry = commit.Tree[resolved];
            if (entry == null)
            {
                error = $"symlink to \"{target}\" points to nothing";
                return null;
            }

            if (entry.TargetType != TreeEntryTargetType.Blob)
            {
                error = $"symlink to \"{target}\" is not a file";
                return null;
            }

            if (entry.Mode != Mode.SymbolicLink)
            {
                error = null;
                return (Blob)entry.Target;
            }

            linkPath = resolved;
            link = (Blob)entry.Target;
        }

        error = "symlink chain is too long";
        return null;
    }

    /// <summary>Joins and normalizes; null when ".." climbs above the repository root.</summary>
    private static string? Resolve(string dir, string relative)
    {
        var parts = new List<string>(dir.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var p in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".")
            {
                continue;
            }

            if (p == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(p);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    private static string NormalizePath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "";
        }

        return Resolve("", path.Replace('\\', '/')) ?? "";
    }

    private static bool IsManifestName(string name) => name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
