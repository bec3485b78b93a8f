using System.Text;
using GitOrch.Api.Model;

namespace GitOrch.Agent.Pods;

/// <summary>
/// Materializes a Pod's volumes on the host under <c>DATA/pods/UID/volumes/NAME</c>: emptyDir as a directory,
/// configMap/secret as one file per key (rewritten when the source changes; the directory is bind-mounted, so
/// running containers see updates), hostPath as the host's path. Returns volume name -> host path.
/// </summary>
public sealed class VolumeManager(string dataDir)
{
    public string PodDir(string uid) => Path.Combine(dataDir, "pods", uid);

    public async Task<Dictionary<string, string>> PrepareAsync(Pod pod, PodResources resources, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid ?? throw new InvalidOperationException("pod without uid");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in pod.Spec?.Volumes ?? [])
        {
            var dir = Path.Combine(PodDir(uid), "volumes", v.Name);
            if (v.HostPath is { } hp)
            {
                if (hp.Type is null or "" or "DirectoryOrCreate")
                {
                    Directory.CreateDirectory(hp.Path);
                }
                else if (hp.Type == "Directory" && !Directory.Exists(hp.Path))
                {
                    throw new ContainerConfigException($"hostPath type check failed: {hp.Path} is not a directory");
                }

                result[v.Name] = hp.Path;
            }
            else if (v.ConfigMap is { } cmSource)
            {
                var cm = await resources.ConfigMapAsync(cmSource.Name ?? "", ct);
                if (cm == null && cmSource.Optional != true)
                {
                    throw new ContainerConfigException($"configmap \"{cmSource.Name}\" not found (volume {v.Name})");
                }

                var files = (cm?.Data ?? []).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value), StringComparer.Ordinal);
                foreach (var (k, b64) in cm?.BinaryData ?? [])
                {
                    files[k] = Convert.FromBase64String(b64);
                }

                Project(dir, files, cmSource.Items, cmSource.DefaultMode ?? 420, $"ConfigMap {cmSource.Name}");
                result[v.Name] = dir;
            }
            else if (v.Secret is { } sSource)
            {
                var secret = await resources.SecretAsync(sSource.SecretName ?? "", ct);
                if (secret == null && sSource.Optional != true)
                {
                    throw new ContainerConfigException($"secret \"{sSource.SecretName}\" not found (volume {v.Name})");
                }

                var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var (k, b64) in secret?.Data ?? [])
                {
                    files[k] = Convert.FromBase64String(b64);
                }

                foreach (var (k, s) in secret?.StringData ?? [])
                {
                    files[k] = Encoding.UTF8.GetBytes(s);
                }

                Project(dir, files, sSource.Items, sSource.DefaultMode ?? 420, $"Secret {sSource.SecretName}");
                result[v.Name] = dir;
            }
            else if (v.PersistentVolumeClaim is { } claim)
            {
                // Node-local persistent storage: a Docker named volume per claim (a StatefulSet gives each ordinal its
                // own claim). It outlives the Pod; the StatefulSet controller pins the ordinal to this node.
                result[v.Name] = NamedVolume(pod.Namespace ?? "default", claim.ClaimName);
            }
            else
            {
                // emptyDir as a scratch directory under the Pod's folder, removed with the Pod.
                Directory.CreateDirectory(dir);
                result[v.Name] = dir;
            }
        }

        return result;
    }

    /// <summary>The Docker volume behind a persistentVolumeClaim: <c>gitorch-&lt;namespace&gt;-&lt;claim&gt;</c>.</summary>
    public static string NamedVolume(string ns, string claim) => $"gitorch-{ns}-{claim}";

    /// <summary>Whether a prepared volume path is a Docker named volume rather than a host directory.</summary>
    public static bool IsNamedVolume(string path) => !path.StartsWith('/');

    public void Remove(string uid)
    {
        try
        {
            var dir = PodDir(uid);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void Project(string dir, Dictionary<string, byte[]> data, List<KeyToPath>? items, int mode, string what)
    {
        Directory.CreateDirectory(dir);
        var wanted = new Dictionary<string, (byte[] Bytes, int Mode)>(StringComparer.Ordinal);
        if (items is { Count: > 0 })
        {
            foreach (var item in items)
            {
                if (!data.TryGetValue(item.Key, out var bytes))
                {
                    throw new ContainerConfigException($"couldn't find key {item.Key} in {what}");
                }

                wanted[item.Path] = (bytes, item.Mode ?? mode);
            }
        }
        else
        {
            foreach (var (k, bytes) in data)
            {
                wanted[k] = (bytes, mode);
            }
        }

        foreach (var (rel, (bytes, fileMode)) in wanted)
        {
            if (rel.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
            {
                throw new ContainerConfigException($"invalid path \"{rel}\" in {what}");
            }

            var path = Path.Combine(dir, rel);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);

            // Write then rename, so a reader in the container never sees half a file.
            var tmp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
            File.WriteAllBytes(tmp, bytes);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tmp, (UnixFileMode)(fileMode & 0x1FF));
            }

            File.Move(tmp, path, overwrite: true);
        }

        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(dir, file);
            if (!wanted.ContainsKey(rel))
            {
                File.Delete(file);
            }
        }
    }
}
