namespace GitOrch.Engine.Patching;

/// <summary>
/// Kubernetes' <c>patchStrategy</c>/<c>patchMergeKey</c> struct tags of one field: <c>merge</c> (lists merged item by
/// item, by <see cref="MergeKey"/> for lists of objects, by value for lists of scalars), <c>retainKeys</c> (a union
/// whose fields absent from the patch are cleared), or both. A field with no strategy is replaced as a whole.
/// </summary>
public sealed record PatchStrategy(string Strategy, string? MergeKey = null)
{
    public bool Merges => Strategy.Split(',').Contains("merge");

    public bool RetainKeys => Strategy.Split(',').Contains("retainKeys");
}
