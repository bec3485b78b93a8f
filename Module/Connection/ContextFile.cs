using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GitOrch.Module.Connection;

/// <summary>
/// The user's saved connection: <c>gitorch/config.json</c> in the user's config directory (~/.config on Linux,
/// %APPDATA% on Windows); GITORCH_CONFIG names another file (tests, several identities).
/// </summary>
internal static class ContextFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string Path
    {
        get
        {
            var overridePath = Environment.GetEnvironmentVariable("GITORCH_CONFIG");
            if (!string.IsNullOrEmpty(overridePath))
            {
                return System.IO.Path.GetFullPath(overridePath);
            }

            var dir = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
            if (string.IsNullOrEmpty(dir))
            {
                dir = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            }

            return System.IO.Path.Combine(dir, "gitorch", "config.json");
        }
    }

    public static SavedContext? Load()
    {
        var path = Path;
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SavedContext>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid GitOrch config file: {e.Message}", e);
        }
    }

    public static void Save(SavedContext context)
    {
        var path = Path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);

        // The file may hold a bearer token: create it private before writing the secret into it.
        File.WriteAllText(path, "");
        RestrictToOwner(path);
        File.WriteAllText(path, JsonSerializer.Serialize(context, Json));
    }

    public static bool Delete()
    {
        var path = Path;
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    private static void RestrictToOwner(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return; // %APPDATA% is already private to the user.
        }

        _ = chmod(path, Convert.ToUInt32("600", 8));
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
#pragma warning disable CA2101, CA5392, SYSLIB1054, IDE1006 // plain libc call; netstandard2.0 has no File.SetUnixFileMode
    private static extern int chmod(string path, uint mode);
#pragma warning restore CA2101, CA5392, SYSLIB1054, IDE1006
}

internal sealed class SavedContext
{
    public string? Server { get; set; }
    public string? Token { get; set; }
    public string? TokenFile { get; set; }
    public string? Namespace { get; set; }

    /// <summary>A PEM file with the Engine's CA (e.g. the data directory's ca.crt), read at every use.</summary>
    public string? CertificateAuthority { get; set; }

    /// <summary>The Engine's CA as PEM text (from a kubeconfig's certificate-authority-data).</summary>
    public string? CertificateAuthorityData { get; set; }

    /// <summary>The kubeconfig file and context this connection was read from, for Get-GitOrchContext.</summary>
    public string? Kubeconfig { get; set; }

    public string? KubeconfigContext { get; set; }
}
