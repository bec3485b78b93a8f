using System.CommandLine;
using GitOrch.Engine.Store.Etcd;

namespace GitOrch.Engine.Cli;

/// <summary>
/// The flags of <c>gitorch server</c> for several Engines on one etcd datastore (issue 19): where etcd is, its TLS
/// files, leader election timing and compaction. Kept apart from the other server flags; every one of them needs
/// <c>--datastore</c>, which is bound first.
/// </summary>
internal static class ServerDatastoreFlags
{
    public static void AddTo(CliFlags<ServerCommand.Settings> flags)
    {
        flags.Add(
            new Option<string>("--datastore")
            {
                HelpName = "etcd://HOST:PORT[,HOST:PORT...]",
                Description = "Keep objects in an etcd v3 cluster shared by several Engines instead of the LiteDB file in --data-dir. "
                    + "Every Engine serves the API; the one holding the Lease gitorch-system/gitorch-controllers runs the controllers. "
                    + "The first Engine stores the tokens in etcd, the others take them from there.",
            }.Parses(v => EtcdStoreOptions.Parse(v)),
            (s, v) => s.Engine.Etcd = EtcdStoreOptions.Parse(v));
        flags.Add(
            new Option<string>("--datastore-prefix") { HelpName = "PREFIX", Description = "Key prefix of this cluster's data in etcd (default /gitorch), so several clusters can share one etcd." },
            (s, v) => Etcd(s, "--datastore-prefix").Prefix = v);
        AddFile(flags, "--datastore-cafile", "CA bundle that signed the etcd members' certificates (TLS to etcd).", (o, v) => o.CaFile = v);
        AddFile(flags, "--datastore-certfile", "Client certificate for etcd (with --datastore-keyfile).", (o, v) => o.CertFile = v);
        AddFile(flags, "--datastore-keyfile", "Private key of --datastore-certfile.", (o, v) => o.KeyFile = v);
        AddDuration(flags, "--lease-duration", "How long the other Engines wait after the leader's last renewal before taking over (default 6s).", (s, v) => s.Engine.Leadership.LeaseDuration = v);
        AddDuration(flags, "--renew-deadline", "How long the leader runs its controllers without a successful renewal (default 2s; shorter than --lease-duration).", (s, v) => s.Engine.Leadership.RenewDeadline = v);
        AddDuration(flags, "--retry-period", "How often the leader renews and the others try (default 1s).", (s, v) => s.Engine.Leadership.RetryPeriod = v);
        AddDuration(flags, "--compaction-interval", "How often etcd's history is compacted (default 1m; 0 turns it off).", (s, v) => Etcd(s, "--compaction-interval").CompactionInterval = v);
        flags.Add(
            new Option<long>("--compaction-retain") { HelpName = "REVISIONS", Description = "Revisions of history kept at each compaction (default 10000); older watches get 410 Gone." },
            (s, v) => Etcd(s, "--compaction-retain").CompactionRetain = v);
    }

    private static void AddFile(CliFlags<ServerCommand.Settings> flags, string name, string description, Action<EtcdStoreOptions, string> set)
        => flags.Add(new Option<string>(name) { HelpName = "FILE", Description = description }, (s, v) => set(Etcd(s, name), Path.GetFullPath(v)));

    private static void AddDuration(CliFlags<ServerCommand.Settings> flags, string name, string description, Action<ServerCommand.Settings, TimeSpan> set)
        => flags.Add(new Option<string>(name) { HelpName = "DURATION", Description = description }.Parses(v => CliDuration.Parse(name, v)), (s, v) => set(s, CliDuration.Parse(name, v)));

    private static EtcdStoreOptions Etcd(ServerCommand.Settings s, string flag)
        => s.Engine.Etcd ?? throw new ArgumentException($"{flag} needs --datastore etcd://HOST:PORT");
}
