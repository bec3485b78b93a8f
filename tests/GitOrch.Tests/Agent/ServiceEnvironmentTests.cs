using GitOrch.Agent;
using GitOrch.Api.Model;
using Xunit;

namespace GitOrch.Tests.Agent;

public sealed class ServiceEnvironmentTests
{
    private static Service Svc(string name, string ns, params ServicePort[] ports) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new ServiceSpec { Selector = new() { ["app"] = name }, Ports = ports.ToList() },
    };

    private static readonly Pod Pod = new() { Metadata = new ObjectMeta { Name = "client", Namespace = "shop" } };

    [Fact]
    public void Variables_follow_the_kubernetes_convention_at_the_proxy_address()
    {
        var services = new[]
        {
            Svc("redis-primary", "shop", new ServicePort { Name = "redis", Port = 6379 }, new ServicePort { Name = "metrics", Port = 9121 }),
            Svc("other", "elsewhere", new ServicePort { Port = 80 }),
        };
        var vars = ServiceEnvironment.Variables(Pod, services, "127.0.0.2").ToDictionary(kv => kv.Key, kv => kv.Value);

        Assert.Equal("127.0.0.2", vars["REDIS_PRIMARY_SERVICE_HOST"]);
        Assert.Equal("6379", vars["REDIS_PRIMARY_SERVICE_PORT"]);
        Assert.Equal("9121", vars["REDIS_PRIMARY_SERVICE_PORT_METRICS"]);
        Assert.Equal("tcp://127.0.0.2:6379", vars["REDIS_PRIMARY_PORT"]);
        Assert.Equal("tcp://127.0.0.2:9121", vars["REDIS_PRIMARY_PORT_9121_TCP"]);
        Assert.Equal("127.0.0.2", vars["REDIS_PRIMARY_PORT_6379_TCP_ADDR"]);
        Assert.DoesNotContain(vars.Keys, k => k.StartsWith("OTHER_", StringComparison.Ordinal));
    }

    [Fact]
    public void Host_entries_name_every_service_and_bare_names_in_the_pods_namespace()
    {
        var headless = Svc("db", "shop", new ServicePort { Port = 5432 });
        headless.Spec!.ClusterIP = "None";
        var entries = ServiceEnvironment.HostEntries(Pod, new[] { Svc("web", "shop", new ServicePort { Port = 80 }), Svc("api", "other", new ServicePort { Port = 80 }), headless }, "127.0.0.3");

        Assert.Contains("web.shop.svc:127.0.0.3", entries);
        Assert.Contains("web.shop.svc.cluster.local:127.0.0.3", entries);
        Assert.Contains("web:127.0.0.3", entries);
        Assert.Contains("api.other.svc:127.0.0.3", entries);
        Assert.DoesNotContain("api:127.0.0.3", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("db", StringComparison.Ordinal));
    }

    [Fact]
    public void StatefulSet_pods_get_stable_names_of_their_peers_in_the_same_subdomain()
    {
        static Pod Member(string name, string subdomain, string? ip, string ns = "shop") => new()
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new PodSpec { Hostname = name, Subdomain = subdomain },
            Status = ip == null ? null : new PodStatus { PodIP = ip },
        };

        var self = Member("web-0", "web", "127.0.0.5");
        var entries = ServiceEnvironment.PeerHostEntries(self, new[]
        {
            self,
            Member("web-1", "web", "127.0.0.6"),
            Member("web-2", "web", null),
            Member("db-0", "db", "127.0.0.7"),
            Member("web-9", "web", "127.0.0.8", ns: "other"),
        });

        Assert.Equal(new[]
        {
            "web-0.web.shop.svc:127.0.0.5", "web-0.web.shop.svc.cluster.local:127.0.0.5",
            "web-1.web.shop.svc:127.0.0.6", "web-1.web.shop.svc.cluster.local:127.0.0.6",
        }, entries);
        Assert.Empty(ServiceEnvironment.PeerHostEntries(new Pod { Metadata = new ObjectMeta { Name = "x" }, Spec = new PodSpec() }, new[] { self }));
    }
}
