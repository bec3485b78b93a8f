using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Tests.Infrastructure.Examples;

/// <summary>
/// Watches the store from the side while a script runs and remembers every (namespace, image) that had a Pod
/// Running with all containers ready: the test's own evidence of what ran, independent of what the script printed.
/// </summary>
public sealed class RunningPodObserver : IAsyncDisposable
{
    private readonly IObjectStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<(string Namespace, string Image)> _seen = new();
    private readonly Task _loop;

    public RunningPodObserver(IObjectStore store)
    {
        _store = store;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>True when a ready Running Pod in <paramref name="ns"/> ran <paramref name="image"/> at some point.</summary>
    public bool Saw(string ns, string image)
    {
        lock (_seen)
        {
            return _seen.Contains((ns, image));
        }
    }

    public override string ToString()
    {
        lock (_seen)
        {
            return string.Join("; ", _seen.Select(s => s.Namespace + " " + s.Image));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var pod in _store.List<Pod>())
            {
                var statuses = pod.Status?.ContainerStatuses;
                if (pod.Status?.Phase == "Running" && statuses is { Count: > 0 } && statuses.All(s => s.Ready))
                {
                    lock (_seen)
                    {
                        foreach (var c in pod.Spec?.Containers ?? new List<Container>())
                        {
                            _seen.Add((pod.Metadata.Namespace ?? "", c.Image ?? ""));
                        }
                    }
                }
            }

            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
