using GitOrch.Api.Model;

namespace GitOrch.Engine.Store;

/// <summary>What <see cref="WriteRules"/> checks a write against: a backend's committed objects.</summary>
internal interface ICommittedState
{
    StoredObject? Find(ResourceKind kind, string? ns, string name);

    IEnumerable<StoredObject> Committed(ResourceKind kind);
}
