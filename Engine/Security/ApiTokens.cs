using System.Security.Cryptography;
using System.Text;

namespace GitOrch.Engine.Security;

/// <summary>
/// The bearer tokens of one data directory. Created at first start as <c>admin.token</c> and <c>agent.token</c>
/// (256 random bits each, files mode 0600) and reused afterwards, so clients configured once keep working.
/// Tokens are compared in constant time and never logged: <see cref="ToString"/> hides them.
/// </summary>
public sealed class ApiTokens
{
    public const string AdminFile = "admin.token";
    public const string AgentFile = "agent.token";

    /// <summary>Read-only token for Prometheus: it may scrape <c>/metrics</c> and nothing else.</summary>
    public const string MetricsFile = "metrics.token";

    private readonly byte[] _admin;
    private readonly byte[] _agent;
    private readonly byte[] _metrics;

    private ApiTokens(string admin, string agent, string metrics)
    {
        Admin = admin;
        Agent = agent;
        Metrics = metrics;
        _admin = Encoding.UTF8.GetBytes(admin);
        _agent = Encoding.UTF8.GetBytes(agent);
        _metrics = Encoding.UTF8.GetBytes(metrics);
    }

    public string Admin { get; }
    public string Agent { get; }
    public string Metrics { get; }

    /// <summary>Reads the token files of <paramref name="dataDir"/>, creating any that is missing.</summary>
    public static ApiTokens LoadOrCreate(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        return new ApiTokens(LoadOrCreateFile(Path.Combine(dataDir, AdminFile)), LoadOrCreateFile(Path.Combine(dataDir, AgentFile)), LoadOrCreateFile(Path.Combine(dataDir, MetricsFile)));
    }

    /// <summary>The role of a presented token, or null. Both tokens are always compared so timing tells nothing.</summary>
    public ApiRole? Authenticate(ReadOnlySpan<byte> presented)
    {
        var isAdmin = CryptographicOperations.FixedTimeEquals(presented, _admin);
        var isAgent = CryptographicOperations.FixedTimeEquals(presented, _agent);
        var isMetrics = CryptographicOperations.FixedTimeEquals(presented, _metrics);
        return isAdmin ? ApiRole.Admin : isAgent ? ApiRole.Agent : isMetrics ? ApiRole.Metrics : null;
    }

    public override string ToString() => "ApiTokens(admin=***, agent=***, metrics=***)";

    private static string LoadOrCreateFile(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 32)
            {
                return existing;
            }
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var tmp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with 0600 from the first byte: there is no window in which the token is world-readable.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(tmp, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(token + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
        return token;
    }
}
