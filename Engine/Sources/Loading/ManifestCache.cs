namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// Parsed files of a source keyed by path and blob id: a commit that changes one file parses one file.
/// Entries not seen in the latest load are dropped, so the cache never outgrows the repository.
/// </summary>
public sealed class ManifestCache
{
    private Dictionary<string, FileLoad> _entries = new(StringComparer.Ordinal);
    private Dictionary<string, FileLoad> _next = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public bool TryGet(ManifestFile file, out FileLoad load)
    {
        load = null!;
        if (file.BlobId == null)
        {
            return false;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(Key(file), out var found))
            {
                _next[Key(file)] = found;
                load = found;
                return true;
            }
        }

        return false;
    }

    public void Put(ManifestFile file, FileLoad load)
    {
        if (file.BlobId != null)
        {
            lock (_lock)
            {
                _next[Key(file)] = load;
            }
        }
    }

    /// <summary>Ends a load: what was not used in it is forgotten.</summary>
    public void Commit()
    {
        lock (_lock)
        {
            _entries = _next;
            _next = new Dictionary<string, FileLoad>(StringComparer.Ordinal);
        }
    }

    private static string Key(ManifestFile f) => f.Path + "@" + f.BlobId;
}

/// <summary>What one file yielded. Shared between loads: never mutate the objects in it.</summary>
public sealed record FileLoad(IReadOnlyList<Manifest> Manifests, IReadOnlyList<ManifestIssue> Errors, IReadOnlyList<ManifestIssue> Warnings);
