using GitOrch.Api.Model;
using GitOrch.Engine.Store;
using GitOrch.Tests.Infrastructure;
using Xunit;

namespace GitOrch.Tests.Engine.Store;

/// <summary>The store side of bounded watches: a limited watcher that does not read is ended with 410 and let go.</summary>
public sealed class WatchLimitTests : IDisposable
{
    private readonly TempDirectory _dir = new("gitorch-watchlimit");
    private readonly ObjectStore _store;

    public WatchLimitTests() => _store = ObjectStore.Open(_dir.Path, TimeProvider.System, new StoreOptions());

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(5, 1_000_000, 6)]   // by count
    [InlineData(1_000, 3_000, 3)]   // by bytes (each ConfigMap is ~1 KB)
    public async Task A_limited_watcher_that_does_not_read_is_ended_with_410(int maxEvents, long maxBytes, int writes)
    {
        using var limited = _store.Watch(ResourceKinds.ConfigMap, "default", _store.Revision, null, new WatchLimits(maxEvents, maxBytes));
        using var unlimited = _store.Watch(ResourceKinds.ConfigMap, "default", _store.Revision);
        for (var i = 0; i < writes; i++)
        {
            await _store.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = $"c{i}", Namespace = "default" }, Data = new() { ["k"] = new string('x', 1000) } });
        }

        var ended = await Assert.ThrowsAsync<StoreException>(() => limited.Events.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(410, ended.Code);
        Assert.False(limited.Events.TryRead(out _));
        Assert.Equal(1, _store.WatcherCount);
        var n = 0;
        while (unlimited.Events.TryRead(out _))
        {
            n++;
        }

        Assert.Equal(writes, n);
    }

    [Fact]
    public async Task A_limited_watcher_that_reads_is_never_ended()
    {
        using var limited = _store.Watch(ResourceKinds.ConfigMap, "default", _store.Revision, null, new WatchLimits(2, 1_000_000));
        for (var i = 0; i < 10; i++)
        {
            await _store.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = $"c{i}", Namespace = "default" } });
            Assert.True(await limited.Events.WaitToReadAsync());
            Assert.True(limited.Events.TryRead(out var e));
            Assert.Equal($"c{i}", e.Object.Name);
        }

        Assert.False(limited.Events.Completion.IsCompleted);
    }
}
