using GitOrch.Api.Client;
using GitOrch.Engine.Hosting;
using GitOrch.Engine.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOrch.Tests.Infrastructure;

/// <summary>
/// A real Engine in this process: temp data directory, HTTPS on 127.0.0.1 with a free port and the Engine's own CA,
/// real store and tokens. Clients made here trust that CA (<see cref="CreateClient"/>, <see cref="CreateHttpClient"/>).
/// <code>
/// await using var engine = await TestEngine.StartAsync();
/// var pod = await engine.Client.CreateAsync(new Pod { ... });
/// </code>
/// Components (controllers, scheduler, ...) are off unless <c>startComponents: true</c>.
/// </summary>
public sealed class TestEngine : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly EngineHost _host;

    private TestEngine(TempDirectory dir, EngineHost host)
    {
        _dir = dir;
        _host = host;
        Client = CreateClient(AdminToken);
    }

    /// <summary>e.g. https://127.0.0.1:41234/</summary>
    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>The Engine's CA (<c>ca.crt</c>): what every client of this engine trusts.</summary>
    public GitOrch.Api.Client.Tls.EngineCa Ca => _host.Ca;

    /// <summary><c>&lt;data-dir&gt;/ca.crt</c>.</summary>
    public string CaFile => Path.Combine(DataDir, "ca.crt");

    /// <summary><c>&lt;data-dir&gt;/kubeconfig.yaml</c>.</summary>
    public string KubeconfigPath => _host.KubeconfigPath;

    /// <summary>The K10 join token (agent token with the CA's fingerprint).</summary>
    public string JoinToken => _host.JoinToken;

    public string DataDir => _dir.Path;

    public string AdminToken => _host.Tokens.Admin;

    public string AgentToken => _host.Tokens.Agent;

    /// <summary>The Engine's own store: arrange state directly, or check what a request wrote.</summary>
    public IObjectStore Store => _host.Store;

    /// <summary>A client with the admin token.</summary>
    public GitOrchClient Client { get; }

    public IServiceProvider Services => _host.Services;

    /// <param name="startComponents">Run the hosted components registered in EngineComposition.</param>
    /// <param name="configure">Adjust options (time provider, store tuning, ...) before start.</param>
    /// <param name="configureServices">Extra services, e.g. one hosted component under test.</param>
    public static async Task<TestEngine> StartAsync(bool startComponents = false, Action<EngineOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var dir = new TempDirectory("gitorch-engine");
        try
        {
            var options = new EngineOptions
            {
                DataDir = dir.Path,
                Listen = "127.0.0.1:0",
                StartComponents = startComponents,
                LogLevel = LogLevel.Warning,
                ShutdownTimeout = TimeSpan.FromSeconds(5),
            };
            configure?.Invoke(options);
            var host = await EngineHost.StartAsync(options, configureServices);
            return new TestEngine(dir, host);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Another client, e.g. with the agent token or a wrong one.</summary>
    public GitOrchClient CreateClient(string token) => new(BaseUrl, token, Ca);

    /// <summary>A raw HttpClient on <see cref="BaseUrl"/> trusting the CA; with a bearer token unless <paramref name="token"/> is null.</summary>
    public HttpClient CreateHttpClient(string? token) => Http.EngineHttp.Create(BaseUrl, Ca, token);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        _dir.Dispose();
    }
}
