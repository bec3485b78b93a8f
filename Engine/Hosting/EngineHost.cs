using GitOrch.Engine.Defaulting;
using GitOrch.Engine.Http;
using GitOrch.Engine.Security;
using GitOrch.Engine.Security.Tls;
using GitOrch.Engine.Services;
using GitOrch.Engine.Store;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace GitOrch.Engine.Hosting;

/// <summary>
/// A running Engine: store, tokens, HTTP API and components in one host. <c>gitorch server</c> and the tests'
/// in-process engine both start it here, so tests exercise exactly what ships.
/// Shutdown order: Kestrel stops accepting and lets in-flight requests finish, components stop, then the store
/// drains its pending writes and closes LiteDB.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly EngineTls _tls;
    private int _stopped;

    private EngineHost(WebApplication app, ObjectStore store, ApiTokens tokens, EngineOptions options, EngineTls tls, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        _store = store;
        _tls = tls;
        Tokens = tokens;
        Options = options;
        BaseUrl = addresses.First(a => a.Scheme == Uri.UriSchemeHttps);
        PlainBaseUrl = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttp);
        Ca = tls.TrustedCa(options.DataDir);
        JoinToken = tls.WriteClientFiles(options.DataDir, BaseUrl, tokens);
    }

    /// <summary>The HTTPS address actually bound (the real port when listening on port 0), e.g. <c>https://127.0.0.1:6443</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The benchmark-only plain listener (<see cref="EngineOptions.BenchmarkPlainListen"/>), else null.</summary>
    public Uri? PlainBaseUrl { get; }

    /// <summary>The CA clients must trust for <see cref="BaseUrl"/> (<c>ca.crt</c> of the data directory).</summary>
    public Api.Client.Tls.EngineCa Ca { get; }

    /// <summary>The K10 join token (<c>join.token</c>): the agent token with the CA's fingerprint.</summary>
    public string JoinToken { get; }

    /// <summary><c>&lt;data-dir&gt;/kubeconfig.yaml</c>, written at start for <see cref="BaseUrl"/>.</summary>
    public string KubeconfigPath => Path.Combine(Options.DataDir, TlsFiles.Kubeconfig);

    public IObjectStore Store => _store;

    public ApiTokens Tokens { get; }

    public EngineOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Completes when the host was asked to stop (SIGTERM, Ctrl+C, or <see cref="StopAsync"/>).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <param name="configureServices">Extra registrations (tests); components normally come from <see cref="EngineComposition"/>.</param>
    public static async Task<EngineHost> StartAsync(EngineOptions options, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        // Before the data directory is touched: a bad setting fails here, naming it.
        EngineOptionsValidator.ThrowIfInvalid(options);
        var endpoint = ListenAddress.Parse(options.Listen);
        CreatePrivateDirectory(options.DataDir);
        var tokens = ApiTokens.LoadOrCreate(options.DataDir);
        var tls = EngineTls.Prepare(options.DataDir, endpoint, options.TlsSubjectAlternativeNames, options.Time);
        ObjectStore store;
        try
        {
            store = ObjectStore.Open(options.DataDir, options.Time, options.Store.AddServiceAdmission().AddDefaulting());
        }
        catch
        {
            tls.Dispose();
            throw;
        }

        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = options.DataDir });
            builder.WebHost.ConfigureKestrel(k =>
            {
                // HTTPS only. A client with only the CA's fingerprint reads the CA from /cacerts (CaCertsEndpoint).
                k.Listen(endpoint, l => l.UseHttps(tls.ServingCertificate));
                if (options.BenchmarkPlainListen is { } plain)
                {
                    k.Listen(ListenAddress.Parse(plain));
                }

                k.AddServerHeader = false;

                // Objects are small (Kubernetes caps one at ~1.5 MiB); refuse huge bodies before buffering them.
                k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;

                // What a response may hold unsent before its writer waits (default 64 KiB). Watches are the long-lived
                // responses: with this, a watcher that stops reading pins 16 KiB, not 64 (500 such watchers: 8 MB).
                k.Limits.MaxResponseBufferSize = 16 * 1024;
            });
            builder.Logging.SetMinimumLevel(options.LogLevel);

            // Per-request logs would be noise at Information; nothing logged anywhere includes request headers (tokens).
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
            builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton<IOptions<EngineOptions>>(Microsoft.Extensions.Options.Options.Create(options));
            builder.Services.AddSingleton<IValidateOptions<EngineOptions>, EngineOptionsValidator>();
            builder.Services.AddSingleton(options.Time);
            builder.Services.AddSingleton(tokens);
            builder.Services.AddSingleton(tls);
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton<IObjectStore>(store);
            if (options.StartComponents)
            {
                EngineComposition.AddComponents(builder.Services, options);
            }

            configureServices?.Invoke(builder.Services);

            var app = builder.Build();
            app.UseEngineApi();
            app.MapEngineApi();
            EngineComposition.MapFeatureRoutes(app);

            await app.StartAsync(cancellationToken);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(a => new Uri(a.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal)))
                .ToList();
            return new EngineHost(app, store, tokens, options, tls, addresses);
        }
        catch
        {
            store.Dispose();
            tls.Dispose();
            throw;
        }
    }

    /// <summary>Waits until SIGTERM/Ctrl+C (or <see cref="StopAsync"/>), then shuts down cleanly.</summary>
    public async Task RunUntilStoppedAsync()
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Stopping.Register(() => stopping.TrySetResult()))
        {
            await stopping.Task;
        }

        await StopAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            await _app.StopAsync(cancellationToken);
            await _app.DisposeAsync();
        }
        finally
        {
            // Last: drains writes still queued in the committer and closes the LiteDB file.
            _store.Dispose();
            _tls.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
