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

    public LoadResult Load(Commit commit, string? path, ManifestCache? cache = null)
    {
        var errors = new List<ManifestIssue>();
        var files = GitTreeFiles.List(commit, path, _limits, errors);
        var result = Load(files, cache);
        result.Errors.InsertRange(0, errors);
        return result;
    }

    /// <summary>
    /// Loads files; those the cache knows (same path and blob) are not parsed again, the others are parsed
    /// in parallel (each file is independent) and assembled in path order so results are deterministic.
    /// </summary>
    public LoadResult Load(IReadOnlyList<ManifestFile> files, ManifestCache? cache = null)
    {
        var loads = new FileLoad[files.Count];
        var todo = new List<int>();
        for (var i = 0; i < files.Count; i++)
        {
            if (cache != null && cache.TryGet(files[i], out var hit))
            {
                loads[i] = hit;
            }
            else
            {
                todo.Add(i);
            }
        }

        // libgit2 object reads are not thread-safe on one repository handle: read contents first, parse in parallel.
        var texts = todo.Select(i => ReadText(files[i])).ToArray();
        Parallel.For(0, todo.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, j =>
        {
            var i = todo[j];
            loads[i] = LoadFile(files[i], texts[j]);
        });

        var result = new LoadResult();
        foreach (var (file, load) in files.Zip(loads))
        {
            result.Files++;
            cache?.Put(file, load);
            result.Errors.AddRange(load.Errors);
            result.Warnings.AddRange(load.Warnings);
            foreach (var m in load.Manifests)
            {
                if (result.Manifests.Count >= _limits.MaxObjects)
                {
                    result.Errors.Add(new ManifestIssue(m.File, m.Line, $"too many objects: a source may define at most {_limits.MaxObjects}"));
                    cache?.Commit();
                    return result;
                }

                result.Manifests.Add(m);
            }
        }

        cache?.Commit();
        return result;
    }

    private static (string? Text, string? Error, int Line) ReadText(ManifestFile file)
    {
        try
        {
            return (file.Text, file.Error, 0);
        }
        catch (InvalidDataException e)
        {
            return (null, e.Message, 0);
        }
        catch (ManifestException e)
        {
            return (null, e.Message, e.Line);
        }
    }

    private FileLoad LoadFile(ManifestFile file, (string? Text, string? Error, int Line) read)
    {
        var text = read.Text;
        var errors = new List<ManifestIssue>();
        var warnings = new List<ManifestIssue>();
        var manifests = new List<Manifest>();
        if (text == null)
        {
            errors.Add(new ManifestIssue(file.Path, read.Line, read.Error ?? "unreadable"));
            return new FileLoad(manifests, errors, warnings);
        }

        foreach (var doc in _yaml.Read(file.Path, text, errors))
        {
            if (manifests.Count >= _limits.MaxObjects)
            {
                errors.Add(new ManifestIssue(doc.File, doc.Line, $"too many objects: a source may define at most {_limits.MaxObjects}"));
                break;
            }

            var manifest = ToTyped(doc, errors, warnings);
            if (manifest != null)
            {
                manifests.Add(manifest);
            }
        }

        return new FileLoad(manifests, errors, warnings);
    }

    private static Manifest? ToTyped(YamlDocument doc, List<ManifestIssue> errors, List<ManifestIssue> warnings)
    {
        var apiVersion = (doc.Root["apiVersion"] as JsonValue)?.ToString();
        var kindName = (doc.Root["kind"] as JsonValue)?.ToString();
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kindName))
        {
            errors.Add(new ManifestIssue(doc.File, doc.Line, "apiVersion and kind are required"));
            return null;
        }

        if (!ResourceKinds.TryFind(apiVersion, kindName, out var kind))
        {
            errors.Add(new ManifestIssue(doc.File, doc.Lines.LineOf("$.kind"), $"unknown kind {kindName} (apiVersion {apiVersion}); GitOrch serves {string.Join(", ", ResourceKinds.All.Select(k => k.Kind))}"));
            return null;
        }

        if (kind == ResourceKinds.Event || kind == ResourceKinds.Node || kind == ResourceKinds.Endpoints)
        {
            errors.Add(new ManifestIssue(doc.File, doc.Lines.LineOf("$.kind"), $"{kind.Kind} objects are written by GitOrch itself and cannot come from Git"));
            return null;
        }

        KubeObject obj;
        try
        {
            obj = (KubeObject)(doc.Root.Deserialize(kind.Type, KubeJson.Options) ?? throw new JsonException("empty document"));
        }
        catch (JsonException e)
        {
            errors.Add(new ManifestIssue(doc.File, doc.Lines.LineOf(e.Path), $"{kind.Kind}: {Describe(e)}"));
            return null;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            errors.Add(new ManifestIssue(doc.File, doc.Line, $"{kind.Kind}: {e.Message}"));
            return null;
        }

        var label = $"{kind.Kind} {obj.Metadata.Name}";
        UnknownFieldWalker.Walk(obj, "$", path =>
        {
            warnings.Add(new ManifestIssue(doc.File, doc.Lines.LineOf(path), $"{label}: field {path[2..]} is not implemented by GitOrch and is ignored"));
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
