using Grpc.Core;

namespace GitOrch.Engine.Store.Etcd;

/// <summary>How etcd failures reach API clients: 503 with what was unreachable and what still works.</summary>
internal static class EtcdErrors
{
    /// <summary>Transport failures and timeouts: etcd (or its quorum) is not answering.</summary>
    public static bool IsUnavailable(RpcException e)
        => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Aborted or StatusCode.Unknown or StatusCode.Internal;

    public static StoreException Unavailable(string datastore, Exception cause)
        => new("ServiceUnavailable", 503,
            $"the datastore is unavailable ({datastore}: {Detail(cause)}); the write was not acknowledged. This Engine still serves reads of its last known state and takes writes again as soon as etcd answers");

    private static string Detail(Exception cause) => cause is RpcException r ? r.Status.StatusCode + (string.IsNullOrEmpty(r.Status.Detail) ? "" : " " + r.Status.Detail) : cause.Message;
}
