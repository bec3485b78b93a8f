using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>
/// Writes in flight when the engine dies: a few loops creating ConfigMaps through the HTTP API as fast as it answers,
/// remembering which creates the engine acknowledged (201). An acknowledged write must survive a SIGKILL.
/// </summary>
public sealed class WriteLoad : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<string> _acknowledged = new();
    private readonly ConcurrentBag<string> _failures = new();
    private readonly Task[] _loops;

    public WriteLoad(EngineProcess engine, string prefix, int loops = 4)
    {
        _http = engine.CreateHttpClient(timeout: TimeSpan.FromSeconds(10));
        _loops = Enumerable.Range(0, loops).Select(i => Task.Run(() => LoopAsync(prefix + "-" + i))).ToArray();
    }

    public IReadOnlyCollection<string> Acknowledged => _acknowledged.ToArray();

    /// <summary>Why writes failed (after the kill: refused connections, cut responses).</summary>
    public IReadOnlyCollection<string> Failures => _failures.ToArray();

    public Task WaitAcknowledgedAsync(int count, TimeSpan timeout)
        => Poll.UntilAsync(() => _acknowledged.Count, n => n >= count, timeout, $"{count} acknowledged writes");

    /// <summary>Stops the loops; returns the names of every ConfigMap whose create was acknowledged.</summary>
    public async Task<IReadOnlyCollection<string>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        return Acknowledged;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync(string prefix)
    {
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var name = $"{prefix}-{n}";
            var body = $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"n":"{{{n}}}"}}""";
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync("/api/v1/namespaces/default/configmaps", content, _stop.Token);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    _acknowledged.Add(name);
                }
                else
                {
                    _failures.Add($"{name}: {(int)response.StatusCode}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // The engine is gone: keep trying (as clients do) until the test stops the load, but not in a hot loop.
                _failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }
}
