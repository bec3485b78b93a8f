using GitOrch.Engine.Defaulting;
using GitOrch.Engine.Security;
using GitOrch.Engine.Services;
using GitOrch.Engine.Store;
using GitOrch.Engine.Store.Etcd;

namespace GitOrch.Engine.Hosting;

/// <summary>
/// The store seam at start-up: the LiteDB file in the data directory (default, one Engine), or the etcd datastore
/// several Engines share (<see cref="EngineOptions.Etcd"/>), whose tokens come from the datastore.
/// </summary>
internal static class StoreBackend
{
    public static async Task<(IObjectStore Store, ApiTokens Tokens)> OpenAsync(EngineOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (options.Etcd == null)
        {
            var tokens = ApiTokens.LoadOrCreate(options.DataDir);
            return (ObjectStore.Open(options.DataDir, options.Time, options.Store.AddServiceAdmission(network: options.Network).AddDefaulting()), tokens);
        }

        options.Leadership.ThrowIfInconsistent();
        options.Store.Time = options.Time;
        var store = await EtcdObjectStore.OpenAsync(options.Etcd, options.Store.AddServiceAdmission(network: options.Network).AddDefaulting(), loggers.CreateLogger<EtcdObjectStore>(), cancellationToken).ConfigureAwait(false);
        try
        {
            return (store, await SharedBootstrap.JoinAsync(store, options.DataDir, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
