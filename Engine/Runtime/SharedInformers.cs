using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GitOrch.Engine.Runtime;

/// <summary>
/// One informer per kind for the whole process, shared by every controller and the scheduler, so 10,000 Pods are cached
/// (and decoded) once however many controllers look at them. Informers are created on first request and all run
/// when this hosted service starts; one requested later starts at once.
/// </summary>
public sealed class SharedInformers : IHostedService, IAsyncDisposable
{
    private readonly IObjectStore _store;
    private readonly ILoggerFactory _loggerFactory;
    private readonly object _gate = new();
    private readonly Dictionary<Type, IInformer> _informers = new();
    private readonly List<Task> _running = new();
    private CancellationTokenSource? _cts;

    public SharedInformers(IObjectStore store, ILoggerFactory loggerFactory)
    {
        _store = store;
        _loggerFactory = loggerFactory;
    }

    public Informer<T> Get<T>() where T : KubeObject
    {
        lock (_gate)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                return (Informer<T>)existing;
            }

            var informer = new Informer<T>(_store, _loggerFactory.CreateLogger("GitOrch.Engine.Controllers.Informer"));
            WellKnownIndexes.Add(informer);
            _informers[typeof(T)] = informer;
            if (_cts != null)
            {
                _running.Add(Task.Run(() => informer.RunAsync(_cts.Token)));
            }

            return informer;
        }
    }

    /// <summary>The informer of a kind known only at run time.</summary>
    public IInformer Get(ResourceKind kind)
        => (IInformer)typeof(SharedInformers).GetMethod(nameof(Get), 1, Type.EmptyTypes)!.MakeGenericMethod(kind.Type).Invoke(this, null)!;

    public IReadOnlyList<IInformer> All
    {
        get
        {
            lock (_gate)
            {
                return _informers.Values.ToList();
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_cts != null)
            {
                return Task.CompletedTask;
            }

            _cts = new CancellationTokenSource();
            foreach (var informer in _informers.Values)
            {
                _running.Add(Task.Run(() => informer.RunAsync(_cts.Token)));
            }
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_gate)
        {
            if (_cts == null)
            {
                return;
            }

            if (!_cts.IsCancellationRequested)
            {
                _cts.Cancel();
            }

            running = _running.ToArray();
        }

        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as a hosted service: may be disposed twice.
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
