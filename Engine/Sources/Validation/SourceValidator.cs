using GitOrch.Api.Model;
using GitOrch.Engine.Sources.Loading;
using GitOrch.Engine.Sources.Planning;
using GitOrch.Engine.Store;
using GitOrch.Engine.Validation;

namespace GitOrch.Engine.Sources.Validation;

/// <summary>
/// Validates a whole commit before anything is applied: the store's own rules for every object
/// (<see cref="ObjectValidator"/>, so Git and the API agree on what is valid), mapped to file:line, plus
/// what only the repository as a whole can tell, such as a namespace that neither exists nor is defined.
/// Errors are added to the desired state; the caller applies nothing when there is any.
/// </summary>
public static class SourceValidator
{
    public static void Validate(DesiredState state, IObjectStore store)
    {
        var definedNamespaces = new HashSet<string>(state.Objects.Where(o => o.Kind == ResourceKinds.Namespace).Select(o => o.Name), StringComparer.Ordinal);
        var missingReported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in state.Objects)
        {
            var m = d.Manifest;
            foreach (var cause in ObjectValidator.Validate(d.Object))
            {
                state.Errors.Add(new ManifestIssue(m.File, m.Lines.LineOf(cause.Field), $"{d.Display}: {cause.Field}: {cause.Message}"));
            }

            var ns = d.Namespace;
            if (ns != null && !definedNamespaces.Contains(ns) && store.Get(ResourceKinds.Namespace, null, ns) == null && missingReported.Add(ns + "|" + m.File))
            {
                state.Errors.Add(new ManifestIssue(m.File, m.Lines.LineOf("$.metadata.namespace"), $"{d.Display}: namespace \"{ns}\" does not exist and is not defined in the repository"));
            }
        }

        // Stable order: by file and line, so the status message reads like a compiler's.
        state.Errors.Sort((a, b) => a.File == b.File ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.File, b.File));
    }
}
