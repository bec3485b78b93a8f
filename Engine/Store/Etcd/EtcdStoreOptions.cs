using System.ComponentModel.DataAnnotations;

namespace GitOrch.Engine.Store.Etcd;

/// <summary>
/// Where the etcd v3 datastore is and how the Engine uses it (<c>gitorch server --datastore etcd://h1:2379,h2:2379</c>).
/// Defaults suit a three-member cluster on a LAN.
/// </summary>
public sealed class EtcdStoreOptions
{
    /// <summary>Client URLs of the members, e.g. <c>http://10.0.0.1:2379</c> (https when a CA file is given).</summary>
    [MinLength(1)]
    public List<Uri> Endpoints { get; set; } = new();

    /// <summary>CA bundle that signed the members' serving certificates (<c>--datastore-cafile</c>).</summary>
    public string? CaFile { get; set; }

    /// <summary>Client certificate presented to etcd (<c>--datastore-certfile</c>), with <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; set; }

    /// <summary>Private key of <see cref="CertFile"/> (<c>--datastore-keyfile</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>Key prefix of everything GitOrch keeps in etcd (default <c>/gitorch</c>): several clusters can share one etcd.</summary>
    [Required]
    public string Prefix { get; set; } = "/gitorch";

    /// <summary>Deadline of one etcd call (default 5 s). A write that gets no answer by then fails with 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Revisions of history kept behind the head at each compaction (default 10,000; <c>--compaction-retain</c>).
    /// A watch from an older revision gets 410 Gone and relists.</summary>
    [Range(1, long.MaxValue)]
    public long CompactionRetain { get; set; } = 10_000;

    /// <summary>How often the history is compacted (default 1 min; <c>--compaction-interval</c>; 0 turns compaction off).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Parses <c>etcd://h1:2379,h2:2379</c> (or <c>etcds://</c> for TLS). Bad input names the part that failed.
    /// </summary>
    public static EtcdStoreOptions Parse(string datastore)
    {
        var scheme = datastore.StartsWith("etcds://", StringComparison.Ordinal) ? "https" : datastore.StartsWith("etcd://", StringComparison.Ordinal) ? "http" : null;
        if (scheme == null)
        {
            throw new FormatException($"--datastore \"{datastore}\": expected etcd://host:port[,host:port...] (or etcds:// for TLS)");
        }

        var options = new EtcdStoreOptions();
        foreach (var part in datastore[(datastore.IndexOf("://", StringComparison.Ordinal) + 3)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(scheme + "://" + part, UriKind.Absolute, out var uri) || uri.Port <= 0 || uri.AbsolutePath != "/")
            {
                throw new FormatException($"--datastore \"{datastore}\": \"{part}\" is not host:port");
            }

            options.Endpoints.Add(uri);
        }

        if (options.Endpoints.Count == 0)
        {
            throw new FormatException($"--datastore \"{datastore}\": no etcd member given");
        }

        return options;
    }

    /// <summary>What the datastore is, for messages (no credentials in it).</summary>
    public string Describe() => "etcd at " + string.Join(",", Endpoints.Select(e => e.Authority));
}
