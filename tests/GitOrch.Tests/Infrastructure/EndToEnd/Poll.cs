using System.Collections;

namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>
/// Deadline-bound polling like <see cref="GitOrch.Tests.Infrastructure.Eventually"/>, but the failure shows the whole
/// last observation (every Pod, the whole page), which is what tells an end-to-end failure apart.
/// </summary>
public static class Poll
{
    public static Task<T> UntilAsync<T>(Func<T> observe, Func<T, bool> done, TimeSpan timeout, string what)
        => UntilAsync(() => Task.FromResult(observe()), done, timeout, what);

    /// <param name="interval">Between looks; short where the test must act within a moment of the condition.</param>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await observe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}; last seen:\n  {Describe(last)}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
            last = await observe();
        }

        return last;
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => s,
        IEnumerable items => items.Cast<object>().Any() ? string.Join("\n  ", items.Cast<object>()) : "(nothing)",
        _ => value.ToString() ?? "",
    };
}
