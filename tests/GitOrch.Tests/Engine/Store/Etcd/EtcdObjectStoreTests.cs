using GitOrch.Engine.Store;
using GitOrch.Engine.Store.Etcd;
using GitOrch.Tests.Infrastructure.Etcd;

namespace GitOrch.Tests.Engine.Store.Etcd;

/// <summary>
/// Every store contract test of <see cref="ObjectStoreTests"/>, run against the etcd backend on a real three-member
/// cluster. Each test keeps its objects under its own key prefix, so the tests share one cluster; a "restart" is a
/// new store (a new Engine) on the same prefix.
/// </summary>
public sealed class EtcdObjectStoreTests : ObjectStoreTests
{
    private readonly string _prefix = "/t-" + Guid.NewGuid().ToString("N")[..12];

    protected override bool RevisionIsShared => true;

    protected override IObjectStore OpenStore(StoreOptions? options = null)
    {
        var etcd = new EtcdStoreOptions { Prefix = _prefix };
        etcd.Endpoints.AddRange(EtcdCluster.Shared.Endpoints);
        return EtcdObjectStore.OpenAsync(etcd, options).GetAwaiter().GetResult();
    }
}
