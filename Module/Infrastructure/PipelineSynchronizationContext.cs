using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// Runs an async cmdlet body on the pipeline thread: every continuation is queued back to the thread that
/// called <see cref="Run"/>, so the body may call WriteObject, WriteProgress and ShouldProcess after an await
/// (PowerShell allows those only on the pipeline thread).
/// </summary>
internal sealed class PipelineSynchronizationContext : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // Completed already (a late continuation of a cancelled call): run it anywhere rather than lose it.
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("synchronous Send is not supported on the pipeline thread");

    public static void Run(Func<Task> body)
    {
        var previous = Current;
        using var context = new PipelineSynchronizationContext();
        SetSynchronizationContext(context);
        try
        {
            var task = body();
            task.ContinueWith(_ => context._queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var item in context._queue.GetConsumingEnumerable())
            {
                item.Callback(item.State);
            }

            task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    public void Dispose() => _queue.Dispose();
}
