using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Engine.Defaulting;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Http;
using Xunit;

namespace GitOrch.Tests.Engine.Defaulting;

/// <summary>Objects come back from create as Kubernetes' API server returns them: defaults and server-set fields filled.</summary>
public sealed class DefaultingAdmissionTests : IAsyncLifetime
{
    private TestEngine _engine = null!;
    private RawHttp _raw = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _raw = new RawHttp(_engine, _engine.AdminToken);
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task A_created_pod_is_pending_with_its_qos_class_and_spec_defaults()
    {
        var (code, body) = await _raw.SendAsync("POST", "/api/v1/namespaces/default/pods",
            """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"web:1.2","ports":[{"containerPort":80}]},{"name":"b","image":"side"}]}}""");
        Assert.Equal(201, code);
        var pod = KubeJson.Deserialize<Pod>(body);
        Assert.Equal("Pending", pod.Status!.Phase);
        Assert.Equal("BestEffort", pod.Status.QosClass);
        Assert.Equal("Always", pod.Spec!.RestartPolicy);
        Assert.Equal("ClusterFirst", pod.Spec.DnsPolicy);
        Assert.Equal(30, pod.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("default-scheduler", pod.Spec.SchedulerName);
        Assert.Equal(["IfNotPresent", "Always"], pod.Spec.Containers.Select(c => c.ImagePullPolicy));
        Assert.All(pod.Spec.Containers, c => Assert.Equal(("/dev/termination-log", "File"), (c.TerminationMessagePath, c.TerminationMessagePolicy)));
        Assert.Equal("TCP", pod.Spec.Containers[0].Ports![0].Protocol);
    }

    [Fact]
    public async Task The_qos_class_survives_a_status_write_that_leaves_it_out()
    {
        var pod = Objects.Pod("q");
        pod.Spec!.Containers[0].Resources = new ResourceRequirements { Limits = new() { ["cpu"] = Quantity.Parse("1"), ["memory"] = Quantity.Parse("64Mi") } };
        var created = await _engine.Client.CreateAsync(pod);
        Assert.Equal("Guaranteed", created.Status!.QosClass);

        created.Status = new PodStatus { Phase = "Running" };
        var written = await _engine.Client.ReplaceStatusAsync(created);
        Assert.Equal(("Running", "Guaranteed"), (written.Status!.Phase, written.Status.QosClass));
    }

    [Theory]
    [InlineData(null, null, "BestEffort")]
    [InlineData("100m", null, "Burstable")]
    [InlineData("100m", "100m", "Burstable")]
    public void Qos_class_follows_kubernetes_rule(string? cpuRequest, string? cpuLimit, string expected)
    {
        var c = new Container { Name = "c", Resources = new ResourceRequirements { Requests = [], Limits = [] } };
        if (cpuRequest != null)
        {
            c.Resources.Requests["cpu"] = Quantity.Parse(cpuRequest);
        }

        if (cpuLimit != null)
        {
            c.Resources.Limits["cpu"] = Quantity.Parse(cpuLimit);
        }

        Assert.Equal(expected, PodQos.Of(new PodSpec { Containers = [c] }));
    }

    [Fact]
    public async Task A_created_service_has_kubernetes_defaults()
    {
        var (code, body) = await _raw.SendAsync("POST", "/api/v1/namespaces/default/services",
            """{"metadata":{"name":"s"},"spec":{"selector":{"app":"s"},"ports":[{"port":80}]}}""");
        Assert.Equal(201, code);
        var spec = KubeJson.Deserialize<Service>(body).Spec!;
        Assert.Equal(("ClusterIP", "None"), (spec.Type, spec.SessionAffinity));
        Assert.Equal("TCP", spec.Ports![0].Protocol);
        Assert.Equal(80, spec.Ports[0].TargetPort!.Value.IntValue);
    }

    [Fact]
    public async Task A_created_deployment_has_kubernetes_defaults_and_a_defaulted_template()
    {
        var (code, body) = await _raw.SendAsync("POST", "/apis/apps/v1/namespaces/default/deployments",
            """{"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"web:1"}]}}}}""");
        Assert.Equal(201, code);
        var spec = KubeJson.Deserialize<Deployment>(body).Spec!;
        Assert.Equal((1, 10, 600), (spec.Replicas, spec.RevisionHistoryLimit, spec.ProgressDeadlineSeconds));
        Assert.Equal("RollingUpdate", spec.Strategy!.Type);
        Assert.Equal(("25%", "25%"), (spec.Strategy.RollingUpdate!.MaxSurge!.Value.StringValue, spec.Strategy.RollingUpdate.MaxUnavailable!.Value.StringValue));
        Assert.Equal("Always", spec.Template.Spec!.RestartPolicy);
        Assert.Equal("IfNotPresent", spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public async Task Defaults_never_override_what_was_written_and_rewriting_them_is_no_change()
    {
        var created = await _engine.Client.CreateAsync(new Service
        {
            Metadata = new ObjectMeta { Name = "np", Namespace = "default" },
            Spec = new ServiceSpec { Type = "NodePort", SessionAffinity = "ClientIP", Ports = [new ServicePort { Port = 80, TargetPort = "http", Protocol = "TCP" }] },
        });
        Assert.Equal(("NodePort", "ClientIP", "TCP", "http"), (created.Spec!.Type, created.Spec.SessionAffinity, created.Spec.Ports![0].Protocol, created.Spec.Ports[0].TargetPort!.Value.StringValue));

        var revision = _engine.Store.Revision;
        await _engine.Client.ReplaceAsync(created);
        Assert.Equal(revision, _engine.Store.Revision);
    }
}
