using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace GitOrch.Module.Connection;

/// <summary>
/// Reads a kubeconfig file (what <c>gitorch server</c> writes as <c>kubeconfig.yaml</c>, or any kubectl config) into
/// the one connection a context names: server, CA (inline data or a file, relative to the kubeconfig as kubectl
/// resolves it), bearer token (inline or a file) and namespace. Client certificates and exec plugins are not supported
/// and say so.
/// </summary>
internal static class Kubeconfig
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <param name="contextName">Null: the file's current-context.</param>
    /// <exception cref="InvalidDataException">Not a kubeconfig, or the context lacks what GitOrch needs; the message names file and context.</exception>
    public static KubeconfigConnection Read(string path, string? contextName)
    {
        ConfigFile config;
        try
        {
            config = Yaml.Deserialize<ConfigFile?>(File.ReadAllText(path)) ?? new ConfigFile();
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{path} is not a valid kubeconfig: {e.Message}", e);
        }

        var name = contextName ?? config.CurrentContext;
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidDataException($"{path} has no current-context: pass -Context (contexts: {Names(config.Contexts.Select(c => c.Name))})");
        }

        var context = config.Contexts.FirstOrDefault(c => c.Name == name)?.Context
            ?? throw new InvalidDataException($"{path} has no context \"{name}\" (contexts: {Names(config.Contexts.Select(c => c.Name))})");
        var cluster = config.Clusters.FirstOrDefault(c => c.Name == context.Cluster)?.Cluster
            ?? throw new InvalidDataException($"{path}: context \"{name}\" names cluster \"{context.Cluster}\", which the file does not define");
        var user = config.Users.FirstOrDefault(u => u.Name == context.User)?.User
            ?? throw new InvalidDataException($"{path}: context \"{name}\" names user \"{context.User}\", which the file does not define");
        if (string.IsNullOrEmpty(cluster.Server))
        {
            throw new InvalidDataException($"{path}: cluster \"{context.Cluster}\" has no server");
        }

        if (string.IsNullOrEmpty(user.Token) && string.IsNullOrEmpty(user.TokenFile))
        {
            throw new InvalidDataException($"{path}: user \"{context.User}\" has no token or tokenFile (GitOrch connects with bearer tokens; client certificates and exec plugins are not supported)");
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return new KubeconfigConnection
        {
            Server = cluster.Server!.TrimEnd('/'),
            CaPem = string.IsNullOrEmpty(cluster.CertificateAuthorityData) ? null : DecodeBase64(cluster.CertificateAuthorityData!, path, context.Cluster),
            CaFile = string.IsNullOrEmpty(cluster.CertificateAuthority) ? null : Path.Combine(dir, cluster.CertificateAuthority),
            Token = user.Token,
            TokenFile = string.IsNullOrEmpty(user.TokenFile) ? null : Path.Combine(dir, user.TokenFile),
            Namespace = string.IsNullOrEmpty(context.Namespace) ? null : context.Namespace,
            Context = name!,
        };
    }

    private static string DecodeBase64(string data, string path, string? cluster)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(data.Trim()));
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{path}: certificate-authority-data of cluster \"{cluster}\" is not base64", e);
        }
    }

    private static string Names(IEnumerable<string?> names)
    {
        var list = names.Where(n => !string.IsNullOrEmpty(n)).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

#pragma warning disable CA1812 // instantiated by YamlDotNet
    private sealed class ConfigFile
    {
        public List<NamedCluster> Clusters { get; set; } = new();
        public List<NamedUser> Users { get; set; } = new();
        public List<NamedContext> Contexts { get; set; } = new();
        public string? CurrentContext { get; set; }
    }

    private sealed class NamedCluster
    {
        public string? Name { get; set; }
        public ClusterEntry? Cluster { get; set; }
    }

    private sealed class ClusterEntry
    {
        public string? Server { get; set; }
        public string? CertificateAuthority { get; set; }
        public string? CertificateAuthorityData { get; set; }
    }

    private sealed class NamedUser
    {
        public string? Name { get; set; }
        public UserEntry? User { get; set; }
    }

    private sealed class UserEntry
    {
        public string? Token { get; set; }

        [YamlMember(Alias = "tokenFile", ApplyNamingConventions = false)]
        public string? TokenFile { get; set; }
    }

    private sealed class NamedContext
    {
        public string? Name { get; set; }
        public ContextEntry? Context { get; set; }
    }

    private sealed class ContextEntry
    {
        public string? Cluster { get; set; }
        public string? User { get; set; }
        public string? Namespace { get; set; }
    }
#pragma warning restore CA1812
}
