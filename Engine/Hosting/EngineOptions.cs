using System.ComponentModel.DataAnnotations;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Options;

namespace GitOrch.Engine.Hosting;

/// <summary>
/// How an Engine runs. Defaults are what <c>gitorch server</c> uses without flags. The attributes are checked at start
/// (<see cref="EngineOptionsValidator"/>): a bad setting stops the Engine with the setting's name.
/// </summary>
public sealed class EngineOptions
{
    /// <summary>Default listen address: loopback only, so a fresh install is not reachable from the network.</summary>
    public const string DefaultListen = "127.0.0.1:6443";

    /// <summary>Default data directory: <c>~/.gitorch</c> (database, token files).</summary>
    public static string DefaultDataDir => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gitorch");

    /// <summary>Holds <c>gitorch.db</c>, <c>admin.token</c>, <c>agent.token</c>, <c>join.token</c>, the TLS files (<c>ca.crt</c>, <c>ca.key</c>, <c>server.crt</c>, <c>server.key</c>) and <c>kubeconfig.yaml</c>.</summary>
    [Required]
    public string DataDir { get; set; } = DefaultDataDir;

    /// <summary><c>HOST:PORT</c> (IPv6 as <c>[::1]:PORT</c>) of the HTTPS API; port 0 picks a free port.</summary>
    [Required]
    [ListenAddress]
    public string Listen { get; set; } = DefaultListen;

    /// <summary>
    /// Extra names (DNS names or IP addresses) for the serving certificate, beyond the listen address, localhost,
    /// 127.0.0.1 and the host name (<c>--tls-san</c>, repeatable). Changing them re-issues the certificate; the CA stays.
    /// </summary>
    public IList<string> TlsSubjectAlternativeNames { get; } = new List<string>();

    /// <summary>
    /// BENCHMARK ONLY, no CLI flag: a second, plain-HTTP listener (<c>HOST:PORT</c>, loopback) so the <c>api</c>
    /// benchmark can measure what TLS costs. Null (default): the Engine serves HTTPS only. Never set it for real use:
    /// tokens would travel in clear text.
    /// </summary>
    public string? BenchmarkPlainListen { get; set; }

    /// <summary>Clock for the store and components, so tests can drive time.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Store tuning (change log size, group size).</summary>
    [ValidateObjectMembers]
    public StoreOptions Store { get; set; } = new();

    /// <summary>Run controllers, scheduler and source controller (tests of the bare API turn this off).</summary>
    public bool StartComponents { get; set; } = true;

    /// <summary>Also run a node agent in this process (<c>--with-agent</c>).</summary>
    public bool WithAgent { get; set; }

    /// <summary>How long shutdown waits for in-flight requests before closing the store.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    [EnumDataType(typeof(LogLevel))]
    public LogLevel LogLevel { get; set; } = LogLevel.Information;
}
