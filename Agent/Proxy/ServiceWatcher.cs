using GitOrch.Api.Client;
using GitOrch.Api.Model;
using Microsoft.Extensions.Logging;

namespace GitOrch.Agent.Proxy;

/// <summary>
/// Mirrors every Service and Endpoints object through the Engine's HTTP API (list, then watch from the list's
/// revision; on 410 Gone or a broken stream, list again) and raises <see cref="Changed"/> after each change.
/// </summary>
internal sealed partial class ServiceWatcher
{
    private readonly GitOrchClient _client;
    private readonly ServiceProxyOptions _options;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Endpoints> _endpoints = new(StringComparer.Ordinal);

    public ServiceWatcher(GitOrchClient client, ServiceProxyOptions options, ILogger logger)
    {
        _client = client;
        _options = options;
        _logger = logger;
    }

    /// <summary>Raised on the watch loop after every change; handlers should be quick (signal, don't compute).</summary>
    public event Action? Changed;

    public (List<Service> Services, Dictionary<string, Endpoints> Endpoints) Snapshot()
    {
        lock (_gate)
        {
            return (_services.Values.ToList(), new Dictionary<string, Endpoints>(_endpoints, StringComparer.Ordinal));
        }
    }

    public Task RunAsync(CancellationToken cancellationToken)
        => Task.WhenAll(FollowAsync(_services, cancellationToken), FollowAsync(_endpoints, cancellationToken));

    private async Task FollowAsync<T>(Dictionary<string, T> cache, CancellationToken ct) where T : KubeObject
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var list = await _client.ListAsync<T>(null, (string?)null, null, ct).ConfigureAwait(false);
                lock (_gate)
                {
                    cache.Clear();
                    foreach (var item in list.Items)
                    {
                        cache[Key(item)] = item;
                    }
                }

                Changed?.Invoke();
                var revision = list.Metadata.ResourceVersion;
                while (!ct.IsCancellationRequested)
                {
                    await foreach (var e in _client.WatchAsync<T>(null, revision, cancellationToken: ct).ConfigureAwait(false))
                    {
                        if (e.Object == null)
                        {
                            continue;
                        }

                        revision = e.Object.Metadata.ResourceVersion ?? revision;
                        if (e.Type == "BOOKMARK")
                        {
                            continue;
                        }

                        lock (_gate)
                        {
                            if (e.Type == "DELETED")
                            {
                                cache.Remove(Key(e.Object));
                            }
                            else
                            {
                                cache[Key(e.Object)] = e.Object;
                            }
                        }

                        Changed?.Invoke();
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (GitOrchApiException e) when (e.IsGone)
            {
                // Fell behind the change log: list again at once.
            }
            catch (Exception e)
            {
                Log.WatchFailed(_logger, e, typeof(T).Name, e.Message);
                try
                {
                    await Task.Delay(_options.WatchRetryDelay, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static string Key(KubeObject o) => o.Metadata.Namespace + "/" + o.Metadata.Name;

    private static partial class Log
    {
        [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Proxy watch of {Kind} failed: {Message}; listing again")]
        public static partial void WatchFailed(ILogger logger, Exception exception, string kind, string message);
    }
}
