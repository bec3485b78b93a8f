using System.Text.Json;
using System.Text.Json.Nodes;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using LibGit2Sharp;

namespace GitOrch.Engine.Sources.Loading;

/// <summary>
/// Turns the manifest files of a commit into typed objects in two passes: first apiVersion/kind through
/// <see cref="ResourceKinds"/>, then the typed model. Every problem of every file is collected (one bad
/// file never hides another's errors); fields the model does not implement become warnings with a line.
/// </summary>
public sealed class ManifestLoader
{
    private readonly LoaderLimits _limits;
    private readonly YamlJsonReader _yaml;

    public ManifestLoader(LoaderLimits? limits = null)
    {
        _limits = limits ?? LoaderLimits.Default;
        _yaml = new YamlJsonReader(_limits);
    }

    public LoadResult Load(Commit commit, string? path)
    {
        var errors = new List<ManifestIssue>();
        var files = GitTreeFiles.List(commit, path, _limits, errors);
        var result = Load(files);
        result.Errors.InsertRange(0, errors);
        return result;
    }

    public LoadResult Load(IEnumerable<ManifestFile> files)
    {
        var result = new LoadResult();
        foreach (var file in files)
        {
            result.Files++;
            if (file.Content == null)
            {
                result.Errors.Add(new ManifestIssue(file.Path, 0, file.Error ?? "unreadable"));
                continue;
            }

            foreach (var doc in _yaml.Read(file.Path, file.Content, result.Errors))
            {
                if (result.Manifests.Count >= _limits.MaxObjects)
                {
                    result.Errors.Add(new ManifestIssue(doc.File, doc.Line, $"too many objects: a source may define at most {_limits.MaxObjects}"));
                    return result;
                }

                var manifest = ToTyped(doc, result);
                if (manifest != null)
                {
                    result.Manifests.Add(manifest);
                }
            }
        }

        return result;
    }

    private static Manifest? ToTyped(YamlDocument doc, LoadResult result)
    {
        var apiVersion = (doc.Root["apiVersion"] as JsonValue)?.ToString();
        var kindName = (doc.Root["kind"] as JsonValue)?.ToString();
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kindName))
        {
            result.Errors.Add(new ManifestIssue(doc.File, doc.Line, "apiVersion and kind are required"));
            return null;
        }

        if (!ResourceKinds.TryFind(apiVersion, kindName, out var kind))
        {
            result.Errors.Add(new ManifestIssue(doc.File, doc.Lines.LineOf("$.kind"), $"unknown kind {kindName} (apiVersion {apiVersion}); GitOrch serves {string.Join(", ", ResourceKinds.All.Select(k => k.Kind))}"));
            return null;
        }

        if (kind == ResourceKinds.Event || kind == ResourceKinds.Node || kind == ResourceKinds.Endpoints)
        {
            result.Errors.Add(new ManifestIssue(doc.File, doc.Lines.LineOf("$.kind"), $"{kind.Kind} objects are written by GitOrch itself and cannot come from Git"));
            return null;
        }

        KubeObject obj;
        try
        {
            obj = (KubeObject)(doc.Root.Deserialize(kind.Type, KubeJson.Options) ?? throw new JsonException("empty document"));
        }
        catch (JsonException e)
        {
            result.Errors.Add(new ManifestIssue(doc.File, doc.Lines.LineOf(e.Path), $"{kind.Kind}: {Describe(e)}"));
            return null;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            result.Errors.Add(new ManifestIssue(doc.File, doc.Line, $"{kind.Kind}: {e.Message}"));
            return null;
        }

        var label = $"{kind.Kind} {obj.Metadata.Name}";
        UnknownFieldWalker.Walk(obj, "$", path =>
        {
            result.Warnings.Add(new ManifestIssue(doc.File, doc.Lines.LineOf(path), $"{label}: field {path[2..]} is not implemented by GitOrch and is ignored"));
        });
        return new Manifest(kind, obj, doc.File, doc.Line, doc.Lines);
    }

    private static string Describe(JsonException e)
    {
        var path = e.Path is { Length: > 2 } p ? p[2..] : null;
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return path == null ? message : $"field {path}: {message}";
    }
}
