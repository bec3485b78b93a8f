using System.Collections.Concurrent;
using System.Diagnostics;

namespace GitOrch.Tests.Infrastructure.Etcd;

/// <summary>
/// A small history checker for one property of linearizability on a set of keys: a read that starts after a write
/// was acknowledged never returns an older version of that key. Versions are resourceVersions (etcd revisions),
/// which grow with every write of a key; times are one monotonic clock of this process.
/// </summary>
public sealed class ReadAfterWriteChecker
{
    private readonly ConcurrentBag<(string Key, long Version, long AckedAt)> _writes = new();
    private readonly ConcurrentBag<(string Key, long Version, long StartedAt, string Via)> _reads = new();

    public static long Now => Stopwatch.GetTimestamp();

    public int Writes => _writes.Count;

    public int Reads => _reads.Count;

    public void Acknowledged(string key, long version, long ackedAt) => _writes.Add((key, version, ackedAt));

    public void Read(string key, long version, long startedAt, string via) => _reads.Add((key, version, startedAt, via));

    /// <summary>Every violation, described: the read, and the newer write acknowledged before it started.</summary>
    public IReadOnlyList<string> Violations()
    {
        var byKey = _writes.GroupBy(w => w.Key).ToDictionary(g => g.Key, g => g.OrderBy(w => w.AckedAt).ToList());
        var found = new List<string>();
        foreach (var r in _reads)
        {
            if (!byKey.TryGetValue(r.Key, out var writes))
            {
                continue;
            }

            var newest = writes.Where(w => w.AckedAt < r.StartedAt).Select(w => w.Version).DefaultIfEmpty(0).Max();
            if (r.Version < newest)
            {
                found.Add($"read of {r.Key} via {r.Via} returned version {r.Version}, but version {newest} was acknowledged before the read started");
            }
        }

        return found;
    }
}
