using GitOrch.Api.Model;
using GitOrch.Engine.Runtime;
using GitOrch.Engine.Store;
using Xunit;

namespace GitOrch.Tests.Engine.Runtime;

public sealed class WatchPredicatesTests
{
    private const string Requested = "gitorch.io/requestedAt";

    private static GitSource Source(long generation, string? requested = null, string? status = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = "app",
            Namespace = "default",
            Generation = generation,
            Annotations = requested == null ? null : new() { [Requested] = requested },
        },
        Status = new GitSourceStatus { LastAppliedCommit = status },
    };

    private static bool Wakes(WatchEventType type, GitSource? old, GitSource? now)
        => WatchPredicates.GenerationOrAnnotationChanged<GitSource>(Requested)(new InformerEvent<GitSource>(type, old, now));

    [Fact]
    public void Status_only_changes_wake_nothing_spec_annotation_add_delete_and_deletion_do()
    {
        Assert.False(Wakes(WatchEventType.Modified, Source(1, status: "a"), Source(1, status: "b")));
        Assert.False(Wakes(WatchEventType.Modified, Source(1, "x"), Source(1, "x")));
        Assert.True(Wakes(WatchEventType.Modified, Source(1), Source(2)));
        Assert.True(Wakes(WatchEventType.Modified, Source(1, "x"), Source(1, "y")));
        Assert.True(Wakes(WatchEventType.Modified, Source(1), Source(1, "now")));
        Assert.True(Wakes(WatchEventType.Added, null, Source(1)));
        Assert.True(Wakes(WatchEventType.Deleted, Source(1), null));
        var deleting = Source(1);
        deleting.Metadata.DeletionTimestamp = DateTimeOffset.UnixEpoch;
        Assert.True(Wakes(WatchEventType.Modified, Source(1), deleting));
    }
}
