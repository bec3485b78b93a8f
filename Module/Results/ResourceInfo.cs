using System;
using System.Collections;
using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>
/// Common shape of every result: Name and Namespace (so results bind by property name down the pipeline,
/// e.g. <c>Get-Pod | Remove-Pod</c>), creation time, age, labels, and the full typed API object in <see cref="Object"/>.
/// </summary>
public abstract class ResourceInfo<T> : IGitOrchResource
    where T : KubeObject
{
    protected ResourceInfo(T obj)
    {
        Object = obj;
        Name = obj.Name;
        Namespace = obj.Namespace;
        Created = obj.Metadata.CreationTimestamp;
        Labels = new Hashtable(StringComparer.Ordinal);
        if (obj.Metadata.Labels != null)
        {
            foreach (var kv in obj.Metadata.Labels)
            {
                Labels[kv.Key] = kv.Value;
            }
        }
    }

    public string Name { get; }

    public string? Namespace { get; }

    public DateTimeOffset? Created { get; }

    public TimeSpan? Age => Formatting.Age.Since(Created);

    public Hashtable Labels { get; }

    /// <summary>The object as the API returned it.</summary>
    public T Object { get; }

    KubeObject IGitOrchResource.KubeObject => Object;

    public override string ToString() => Name;
}
