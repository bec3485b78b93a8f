using System.Security.Cryptography;
using System.Text;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;

namespace GitOrch.Engine.Store;

/// <summary>
/// What each verb does to an object, Kubernetes' rules: identity fields are the server's, generation follows
/// the spec, a stale resourceVersion is a conflict, finalizers turn a delete into a mark, and a write that
/// changes nothing is not a write (no new revision, no event).
/// </summary>
internal sealed class WriteRules : IStoreView
{
    public const string NamespaceFinalizer = "kubernetes";
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    private readonly ICommittedState _store;
    private readonly Dictionary<(ResourceKind, string), StoredObject?> _staged;
    private readonly Dictionary<(ResourceKind, string), StoredObject?> _local;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IAdmissionPlugin> _admission;

    public WriteRules(ICommittedState store, Dictionary<(ResourceKind, string), StoredObject?> staged, Dictionary<(ResourceKind, string), StoredObject?> local, TimeProvider time, IReadOnlyList<IAdmissionPlugin> admission)
    {
        _admission = admission;
        _store = store;
        _staged = staged;
        _local = local;
        _time = time;
    }

    public readonly record struct Outcome(KubeObject Result, StoreEvent? Event);

    public Outcome Apply(StoreWrite write, ref long revision)
    {
        var obj = write.Object;
        var kind = ResourceKinds.Of(obj);
        var ns = kind.Namespaced ? obj.Metadata.Namespace ?? "default" : null;
        return write.Verb switch
        {
            StoreVerb.Create => Create(kind, ns, obj, ref revision),
            StoreVerb.Update => Update(kind, ns, obj, ref revision),
            StoreVerb.UpdateStatus => UpdateStatus(kind, ns, obj, ref revision),
            _ => Delete(kind, ns, obj.Metadata.Name ?? "", write.Options ?? new DeleteOptions(), ref revision),
        };
    }

    private StoredObject? Current(ResourceKind kind, string? ns, string name)
    {
        var key = (kind, StoredObject.KeyOf(ns, name));
        if (_local.TryGetValue(key, out var l))
        {
            return l;
        }

        return _staged.TryGetValue(key, out var s) ? s : _store.Find(kind, ns, name);
    }

    public IEnumerable<KubeObject> List(ResourceKind kind)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var overlay in new[] { _local, _staged })
        {
            foreach (var kv in overlay)
            {
                if (ReferenceEquals(kv.Key.Item1, kind) && seen.Add(kv.Key.Item2) && kv.Value != null)
                {
                    yield return kv.Value.Shared;
                }
            }
        }

        foreach (var s in _store.Committed(kind))
        {
            if (!seen.Contains(s.Key))
            {
                yield return s.Shared;
            }
        }
    }

    private void Admit(StoreVerb verb, KubeObject obj, StoredObject? old)
    {
        foreach (var plugin in _admission)
        {
            plugin.Admit(verb, obj, old?.Shared, this);
        }
    }

    private Outcome Create(ResourceKind kind, string? ns, KubeObject incoming, ref long revision)
    {
        var obj = KubeJson.Clone(incoming);
        var meta = obj.Metadata;
        if (string.IsNullOrEmpty(meta.Name))
        {
            meta.Name = meta.GenerateName + RandomSuffix();
        }

        if (ns != null)
        {
            var nsObj = Current(ResourceKinds.Namespace, null, ns);
            if (nsObj == null)
            {
                throw StoreException.NotFound(ResourceKinds.Namespace, ns);
            }

            if (nsObj.Shared.Metadata.DeletionTimestamp != null)
            {
                throw StoreException.Forbidden($"{kind.Plural} \"{meta.Name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", kind, meta.Name);
            }
        }

        if (Current(kind, ns, meta.Name!) != null)
        {
            throw StoreException.AlreadyExists(kind, meta.Name!);
        }

        meta.Namespace = ns;
        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = Now();
        meta.DeletionTimestamp = null;
        meta.Generation = 1;
        Normalize(obj);
        if (obj is Namespace n)
        {
            n.Status ??= new NamespaceStatus();
            n.Status.Phase = NamespacePhases.Active;
        }

        Admit(StoreVerb.Create, obj, null);

        return Commit(kind, obj, WatchEventType.Added, ref revision);
    }

    private Outcome Update(ResourceKind kind, string? ns, KubeObject incoming, ref long revision)
    {
        var current = Require(kind, ns, incoming);
        var shared = current.Shared;
        var obj = KubeJson.Clone(incoming);
        var meta = obj.Metadata;
        meta.Namespace = ns;
        meta.Uid = shared.Metadata.Uid;
        meta.CreationTimestamp = shared.Metadata.CreationTimestamp;
        meta.DeletionTimestamp = shared.Metadata.DeletionTimestamp;
        meta.GenerateName = shared.Metadata.GenerateName;
        if (ObjectParts.HasStatus(kind.Type))
        {
            ObjectParts.SetStatus(obj, ObjectParts.CopyStatus(current.Shared));
        }

        Normalize(obj);
        Admit(StoreVerb.Update, obj, current);
        var oldSpec = ObjectParts.SpecBytes(shared);
        var newSpec = ObjectParts.SpecBytes(obj);
        var specChanged = oldSpec != null && !oldSpec.AsSpan().SequenceEqual(newSpec);
        meta.Generation = (shared.Metadata.Generation ?? 1) + (specChanged ? 1 : 0);
        if (meta.DeletionTimestamp != null && (meta.Finalizers == null || meta.Finalizers.Count == 0))
        {
            return Remove(kind, obj, current, ref revision);
        }

        return CommitIfChanged(kind, current, obj, ref revision);
    }

    private Outcome UpdateStatus(ResourceKind kind, string? ns, KubeObject incoming, ref long revision)
    {
        if (!ObjectParts.HasStatus(kind.Type))
        {
            throw new StoreException("NotFound", 404, $"{kind.Plural} have no status subresource", null, kind, incoming.Metadata.Name);
        }

        var current = Require(kind, ns, incoming);
        var obj = current.Copy();
        ObjectParts.SetStatus(obj, ObjectParts.GetStatus(incoming));
        Admit(StoreVerb.UpdateStatus, obj, current);
        return CommitIfChanged(kind, current, obj, ref revision);
    }

    private Outcome Delete(ResourceKind kind, string? ns, string name, DeleteOptions options, ref long revision)
    {
        var current = Current(kind, ns, name) ?? throw StoreException.NotFound(kind, name);
        var obj = current.Copy();
        if ((options.Uid != null && options.Uid != obj.Metadata.Uid) || (options.ResourceVersion != null && options.ResourceVersion != obj.Metadata.ResourceVersion))
        {
            throw StoreException.Conflict(kind, name);
        }

        var finalizers = obj.Metadata.Finalizers ?? new List<string>();
        var extra = options.PropagationPolicy switch
        {
            "Foreground" => ForegroundFinalizer,
            "Orphan" => OrphanFinalizer,
            null or "Background" => null,
            var p => throw StoreException.BadRequest($"unknown propagationPolicy \"{p}\": use Background, Foreground or Orphan"),
        };
        if (kind == ResourceKinds.Namespace)
        {
            extra ??= NamespaceFinalizer;
            if (!finalizers.Contains(NamespaceFinalizer))
            {
                finalizers.Add(NamespaceFinalizer);
            }

            ((Namespace)obj).Status = new NamespaceStatus { Phase = NamespacePhases.Terminating };
        }

        if (extra != null && !finalizers.Contains(extra))
        {
            finalizers.Add(extra);
        }

        if (finalizers.Count == 0)
        {
            return Remove(kind, obj, current, ref revision);
        }

        obj.Metadata.Finalizers = finalizers;
        obj.Metadata.DeletionTimestamp ??= Now();
        return CommitIfChanged(kind, current, obj, ref revision);
    }

    private StoredObject Require(ResourceKind kind, string? ns, KubeObject incoming)
    {
        var name = incoming.Metadata.Name ?? "";
        var current = Current(kind, ns, name) ?? throw StoreException.NotFound(kind, name);
        var rv = incoming.Metadata.ResourceVersion;
        if (!string.IsNullOrEmpty(rv) && rv != current.Shared.Metadata.ResourceVersion)
        {
            throw StoreException.Conflict(kind, name);
        }

        if (incoming.Metadata.Uid != null && incoming.Metadata.Uid != current.Shared.Metadata.Uid)
        {
            throw StoreException.Conflict(kind, name);
        }

        return current;
    }

    private Outcome CommitIfChanged(ResourceKind kind, StoredObject current, KubeObject obj, ref long revision)
    {
        obj.Metadata.ResourceVersion = current.Shared.Metadata.ResourceVersion;
        KubeJson.WithTypeMeta(obj);
        var unchanged = KubeJson.SerializeToUtf8(obj, kind.Type);
        if (unchanged.AsSpan().SequenceEqual(current.Json))
        {
            return new Outcome(obj, null);
        }

        // The write differs: it needs only the new resourceVersion, spliced into the bytes just made rather than
        // serializing the whole object a second time (this is the hot path of every controller's update).
        revision++;
        var rv = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = ResourceVersionSplice.Replace(unchanged, obj.Metadata.ResourceVersion!, rv);
        if (json == null)
        {
            revision--;
            var full = Commit(kind, obj, WatchEventType.Modified, ref revision);
            return full with { Event = Routed(full.Event!, current) };
        }

        obj.Metadata.ResourceVersion = rv;
        return new Outcome(obj, Routed(new StoreEvent(WatchEventType.Modified, new StoredObject(kind, obj.Metadata.Namespace, obj.Metadata.Name!, revision, json, StoredObject.NodeNameOf(kind, obj))), current));
    }

    private static Outcome Commit(ResourceKind kind, KubeObject obj, WatchEventType type, ref long revision)
    {
        revision++;
        obj.Metadata.ResourceVersion = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        KubeJson.WithTypeMeta(obj);
        var json = KubeJson.SerializeToUtf8(obj, kind.Type);
        var stored = new StoredObject(kind, obj.Metadata.Namespace, obj.Metadata.Name!, revision, json, StoredObject.NodeNameOf(kind, obj));
        return new Outcome(obj, new StoreEvent(type, stored));
    }

    /// <summary>Records the node a Pod leaves, so that node's watchers are still offered the change.</summary>
    private static StoreEvent Routed(StoreEvent e, StoredObject previous)
        => previous.NodeName == e.Object.NodeName ? e : e with { PreviousNodeName = previous.NodeName };

    private static Outcome Remove(ResourceKind kind, KubeObject obj, StoredObject current, ref long revision)
    {
        var outcome = Commit(kind, obj, WatchEventType.Deleted, ref revision);
        return outcome with { Event = Routed(outcome.Event!, current) };
    }

    private DateTimeOffset Now()
    {
        var now = _time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>Server-side normal form: Secret.stringData folds into data, as the Kubernetes API server does.</summary>
    private static void Normalize(KubeObject obj)
    {
        if (obj is Secret secret && secret.StringData != null)
        {
            secret.Data ??= new Dictionary<string, string>();
            foreach (var kv in secret.StringData)
            {
                secret.Data[kv.Key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kv.Value));
            }

            secret.StringData = null;
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }
}
