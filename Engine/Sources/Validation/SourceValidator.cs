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
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DesiredObject, IReadOnlyList<GitOrch.Api.Model.StatusCause>> Causes = new();

    public static void Validate(DesiredState state, IObjectStore store)
    {
        var definedNamespaces = new HashSet<string>(state.Objects.Where(o => o.Kind == ResourceKinds.Namespace).Select(o => o.Name), StringComparer.Ordinal);
        var missingReported = new HashSet<string>(StringComparer.Ordinal);
        var namespaceExists = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var d in state.Objects)
        {
            var m = d.Manifest;
            if (!Causes.TryGetValue(d, out var causes))
            {
                // Desired objects of unchanged files are reused between commits, and so is their verdict.
                causes = ObjectValidator.Validate(d.Object);
                Causes.AddOrUpdate(d, causes);
            }

            foreach (var cause in causes)
            {
                state.Errors.Add(new ManifestIssue(m.File, m.Lines.LineOf(cause.Field), $"{d.Display}: {cause.Field}: {cause.Message}"));
            }

            var ns = d.Namespace;
            if (ns != null && !definedNamespaces.Contains(ns) && !Exists(ns) && missingReported.Add(ns + "|" + m.File))
            {
                state.Errors.Add(new ManifestIssue(m.File, m.Lines.LineOf("$.metadata.namespace"), $"{d.Display}: namespace \"{ns}\" does not exist and is not defined in the repository"));
            }
        }

        bool Exists(string ns)
        {
            if (!namespaceExists.TryGetValue(ns, out var exists))
            {
                exists = namespaceExists[ns] = store.Get(ResourceKinds.Namespace, null, ns) != null;
            }

            return exists;
        }

        // Stable order: by file and line, so the status message reads like a compiler's.
        state.Errors.Sort((a, b) => a.File == b.File ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.File, b.File));
    }
}
