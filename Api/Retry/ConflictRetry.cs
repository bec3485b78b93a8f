using System;
using System.Threading;
using System.Threading.Tasks;

namespace GitOrch.Api.Retry;

/// <summary>
/// Re-runs a read-modify-write while it loses optimistic-concurrency races (409 Conflict), as client-go's
/// <c>retry.RetryOnConflict</c>: the function must re-read what it changes on every attempt. Any other error, and the
/// conflict of the last attempt, goes to the caller. Engine (store errors) and clients (API errors) pass their own
/// notion of "this was a conflict".
/// </summary>
public static class ConflictRetry
{
    /// <summary>How many times a write is tried by default (client-go's DefaultRetry has 5 steps).</summary>
    public const int DefaultAttempts = 5;

    public static async Task<T> RunAsync<T>(
        Func<Exception, bool> isConflict, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken,
        int attempts = DefaultAttempts, Backoff? backoff = null)
    {
        backoff ??= Backoff.DefaultRetry;
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (n < attempts && isConflict(e))
            {
                await Task.Delay(backoff.Delay(n), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static Task RunAsync(
        Func<Exception, bool> isConflict, Func<CancellationToken, Task> attempt, CancellationToken cancellationToken,
        int attempts = DefaultAttempts, Backoff? backoff = null)
        => RunAsync<bool>(isConflict, async ct => { await attempt(ct).ConfigureAwait(false); return true; }, cancellationToken, attempts, backoff);
}
