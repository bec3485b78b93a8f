using GitOrch.Api.Model;
using GitOrch.Engine.Http;
using GitOrch.Engine.Store;
using Xunit;

namespace GitOrch.Tests.Engine.Http;

public sealed class FilteredViewTests
{
    private static StoreEvent Event(WatchEventType type, string name)
        => new(type, new StoredObject(ResourceKinds.Pod, "default", name, 1, "{}"u8.ToArray()));

    [Fact]
    public void After_a_list_only_objects_the_client_holds_can_be_deleted_from_its_view()
    {
        var view = new FilteredView(["default/listed"]);
        Assert.Equal(WatchEventType.Deleted, view.Translate(Event(WatchEventType.Modified, "listed"), matches: false));
        Assert.Null(view.Translate(Event(WatchEventType.Modified, "never-seen"), matches: false));
        Assert.Equal(WatchEventType.Added, view.Translate(Event(WatchEventType.Modified, "never-seen"), matches: true));
        Assert.Equal(WatchEventType.Modified, view.Translate(Event(WatchEventType.Modified, "never-seen"), matches: true));
        Assert.Equal(WatchEventType.Deleted, view.Translate(Event(WatchEventType.Deleted, "never-seen"), matches: true));
        Assert.Null(view.Translate(Event(WatchEventType.Deleted, "other"), matches: false));
    }

    [Fact]
    public void When_resumed_an_unseen_object_that_stops_matching_is_reported_deleted()
    {
        // The client may hold it from its earlier list: telling it is safe, staying silent could leave it stale.
        var view = new FilteredView(null);
        Assert.Equal(WatchEventType.Deleted, view.Translate(Event(WatchEventType.Modified, "x"), matches: false));
        Assert.Null(view.Translate(Event(WatchEventType.Modified, "x"), matches: false));
        Assert.Equal(WatchEventType.Modified, view.Translate(Event(WatchEventType.Modified, "y"), matches: true));
        Assert.Null(view.Translate(Event(WatchEventType.Added, "z"), matches: false));
    }
}
