using System.Formats.Tar;
using GitOrch.Agent.Runtime;

namespace GitOrch.Agent.Network.Sandbox;

/// <summary>
/// The image of Pod sandboxes (kubelet's "pause"): a root filesystem holding only the host's static busybox, imported
/// into Docker at agent start when it is missing (<c>docker import</c>), so nothing is pulled. The sandbox runs
/// <c>sleep</c> under Docker's tini and holds the Pod's network namespace while the Pod's containers come and go.
/// </summary>
public static class SandboxImage
{
    public static async Task EnsureAsync(IContainerRuntime docker, PodNetworkOptions options, CancellationToken ct)
    {
        if (await docker.ImageExistsAsync(options.SandboxImage, ct).ConfigureAwait(false))
        {
            return;
        }

        if (!File.Exists(options.BusyboxPath))
        {
            throw new InvalidOperationException(
                $"the Pod sandbox image {options.SandboxImage} is missing and {options.BusyboxPath}, from which the agent builds it, is not there (install Debian's busybox-static)");
        }

        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = Dir });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = Dir });
            await writer.WriteEntryAsync(options.BusyboxPath, "bin/busybox", ct).ConfigureAwait(false);
            foreach (var applet in new[] { "sh", "sleep" })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox", Mode = Dir });
            }
        }

        tar.Position = 0;
        await docker.ImportImageAsync(tar, options.SandboxImage, ["CMD [\"/bin/sleep\", \"2147483647\"]", "ENV PATH=/bin"], ct).ConfigureAwait(false);
    }

    private const UnixFileMode Dir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
}
