namespace GitOrch.Tests.Infrastructure;

/// <summary>Deadline-bound waiting: poll a condition until it holds or fail with what was last seen.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<T> observe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = observe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}; last seen: {Describe(last)}");
            }

            await Task.Delay(20);
            last = observe();
        }

        return last;
    }

    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await observe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}; last seen: {Describe(last)}");
            }

            await Task.Delay(20);
            last = await observe();
        }

        return last;
    }

    public static Task True(Func<bool> condition, TimeSpan timeout, string what) => Until(condition, b => b, timeout, what);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.ICollection c => $"{c.Count} item(s)",
        _ => value.ToString() ?? "",
    };
}
