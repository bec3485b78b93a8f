using GitOrch.Api.Model;

namespace GitOrch.Agent.Probes;

/// <summary>
/// The startup, liveness and readiness probes of one running container instance. Liveness and readiness start
/// only after the startup probe succeeded (as in Kubernetes); without a probe its result is Success.
/// </summary>
public sealed class ContainerProbes : IAsyncDisposable
{
    private readonly Container _container;
    private readonly string _containerId;
    private readonly ProbeRunner _runner;
    private readonly TimeProvider _time;
    private readonly Action _onChange;
    private readonly ProbeWorker? _startup;
    private ProbeWorker? _liveness;
    private ProbeWorker? _readiness;
    private int _afterStartupStarted;

    public ContainerProbes(Container container, string containerId, ProbeRunner runner, TimeProvider time, Action onChange)
    {
        _container = container;
        _containerId = containerId;
        _runner = runner;
        _time = time;
        _onChange = onChange;
        if (container.StartupProbe != null)
        {
            _startup = new ProbeWorker(container.StartupProbe, c => runner.RunAsync(container.StartupProbe, container, containerId, c), ProbeResult.Unknown, stopOnSuccess: true, time, OnStartupChange);
        }
        else
        {
            StartAfterStartup();
        }
    }

    public string ContainerId => _containerId;

    public bool Started => _startup == null || _startup.Result == ProbeResult.Success;

    public bool StartupFailed => _startup?.Result == ProbeResult.Failure;

    public bool Ready => Started && (_container.ReadinessProbe == null || _readiness?.Result == ProbeResult.Success);

    public bool LivenessFailed => StartupFailed || _liveness?.Result == ProbeResult.Failure;

    private void OnStartupChange()
    {
        if (Started)
        {
            StartAfterStartup();
        }

        _onChange();
    }

    private void StartAfterStartup()
    {
        if (Interlocked.Exchange(ref _afterStartupStarted, 1) == 1)
        {
            return;
        }

        if (_container.LivenessProbe is { } live)
        {
            _liveness = new ProbeWorker(live, c => _runner.RunAsync(live, _container, _containerId, c), ProbeResult.Success, stopOnSuccess: false, _time, _onChange);
        }

        if (_container.ReadinessProbe is { } ready)
        {
            _readiness = new ProbeWorker(ready, c => _runner.RunAsync(ready, _container, _containerId, c), ProbeResult.Failure, stopOnSuccess: false, _time, _onChange);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_startup != null)
        {
            await _startup.DisposeAsync();
        }

        if (_liveness != null)
        {
            await _liveness.DisposeAsync();
        }

        if (_readiness != null)
        {
            await _readiness.DisposeAsync();
        }
    }
}
