namespace GitOrch.Engine.Scheduling;

/// <summary>What the binder shares with its scheduler: where bindings are counted, where a failed binding goes back (the scheduler's queue), and the clock.</summary>
public sealed record PodBinderContext(SchedulerMetrics Metrics, Action<string> BindFailed, TimeProvider Time);
