using GitOrch.Api.Client;
using GitOrch.Api.Client.Tls;

namespace GitOrch.Bench.Scenarios;

/// <summary>Clients of an Engine started in a data directory: HTTPS, trusting that directory's <c>ca.crt</c>.</summary>
public static class BenchTls
{
    public static EngineCa Ca(string dataDir) => EngineCa.FromPemFile(Path.Combine(dataDir, "ca.crt"));

    public static GitOrchClient Client(Uri url, string dataDir)
        => new(url, File.ReadAllText(Path.Combine(dataDir, "admin.token")).Trim(), Ca(dataDir));

    public static HttpClient Http(Uri url, EngineCa ca) => new(new EngineTlsHandler(ca)) { BaseAddress = url };
}
