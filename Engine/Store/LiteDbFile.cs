using GitOrch.Api.Model;
using LiteDB;

namespace GitOrch.Engine.Store;

/// <summary>
/// The durable half of the store: one LiteDB file in Direct mode, owned by this process. Objects are kept as
/// their wire JSON under the key "plural|namespace/name"; the global revision lives in the same transaction.
/// </summary>
internal sealed class LiteDbFile : IDisposable
{
    private const string RevisionKey = "revision";
    private const int CheckpointPages = 20_000;
    private readonly DeferredSyncFile _data;
    private readonly DeferredSyncFile _log;
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _objects;
    private readonly ILiteCollection<BsonDocument> _meta;
    private readonly object _syncGate = new();
    private bool _closed;

    public LiteDbFile(string path)
    {
        _data = new DeferredSyncFile(path, exclusive: true);
        _log = new DeferredSyncFile(Path.ChangeExtension(path, null) + "-log" + Path.GetExtension(path), exclusive: true);
        _db = new LiteDatabase(_data, null, _log)
        {
            // LiteDB copies its log into the data file every 1,000 pages, stalling every commit meanwhile; at 2-3 pages
            // per write that stall hit several percent of writes in a burst. Rarer, larger checkpoints touch far fewer.
            CheckpointSize = CheckpointPages,
        };
        _objects = _db.GetCollection("objects");
        _meta = _db.GetCollection("meta");
    }

    /// <summary>Forces committed transactions to the disk (see <see cref="DeferredSyncFile"/>).</summary>
    public void SyncToDisk()
    {
        lock (_syncGate)
        {
            if (!_closed)
            {
                _log.SyncToDisk();
                _data.SyncToDisk();
            }
        }
    }

    public static string KeyOf(ResourceKind kind, string objectKey) => kind.Plural + "|" + objectKey;

    public long ReadRevision() => _meta.FindById(RevisionKey)?["value"].AsInt64 ?? 0;

    /// <summary>Everything stored, for the in-memory index at start-up.</summary>
    public IEnumerable<(string Plural, long Revision, string Json)> ReadAll()
    {
        foreach (var doc in _objects.FindAll())
        {
            var id = doc["_id"].AsString;
            yield return (id.Substring(0, id.IndexOf('|', StringComparison.Ordinal)), doc["rv"].AsInt64, doc["json"].AsString);
        }
    }

    /// <summary>Writes a group of changes and the new revision in one transaction: all or nothing.</summary>
    public void Write(IReadOnlyList<(string Key, StoredObject? Value)> changes, long revision)
    {
        _db.BeginTrans();
        try
        {
            foreach (var (key, value) in changes)
            {
                if (value == null)
                {
                    _objects.Delete(key);
                }
                else
                {
                    _objects.Upsert(new BsonDocument
                    {
                        ["_id"] = key,
                        ["rv"] = value.Revision,
                        ["json"] = System.Text.Encoding.UTF8.GetString(value.Json),
                    });
                }
            }

            _meta.Upsert(new BsonDocument { ["_id"] = RevisionKey, ["value"] = revision });
            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    public void Dispose()
    {
        lock (_syncGate)
        {
            _closed = true;
        }

        _db.Checkpoint();
        _db.Dispose();
        _log.Dispose();
        _data.Dispose();
    }
}
