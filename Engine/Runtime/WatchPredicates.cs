using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Runtime;

/// <summary>
/// Filters on informer events that decide whether a change wakes a reconciler (controller-runtime's
/// <c>predicate.GenerationChangedPredicate</c> / <c>AnnotationChangedPredicate</c>). A controller whose own status writes
/// must not wake it uses them with <see cref="ControllerWiring.For{T}(Informer{T}, Func{InformerEvent{T}, bool})"/>.
/// </summary>
public static class WatchPredicates
{
    /// <summary>
    /// True on add and delete, on an update that changed the spec (generation), any of <paramref name="annotations"/>,
    /// or that marks the object for deletion. Status, labels and other annotations change none of these.
    /// </summary>
    public static Func<InformerEvent<T>, bool> GenerationOrAnnotationChanged<T>(params string[] annotations) where T : KubeObject
        => e =>
        {
            if (e.Type != WatchEventType.Modified || e.Old is null || e.New is null)
            {
                return true;
            }

            if ((e.Old.Metadata.Generation ?? 0) != (e.New.Metadata.Generation ?? 0) || e.New.Metadata.DeletionTimestamp != null)
            {
                return true;
            }

            foreach (var annotation in annotations)
            {
                if (e.Old.Metadata.Annotation(annotation) != e.New.Metadata.Annotation(annotation))
                {
                    return true;
                }
            }

            return false;
        };
}
