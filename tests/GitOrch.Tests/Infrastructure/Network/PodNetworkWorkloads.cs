using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure.Agent;

namespace GitOrch.Tests.Infrastructure.Network;

/// <summary>Plain-Kubernetes-style objects for the Pod-network tests: httpd on port 80 answering with its Pod name.</summary>
public static class PodNetworkWorkloads
{
    public static Container Httpd(string name = "main") => new()
    {
        Name = name,
        Image = DockerTestEnvironment.TestImage,
        ImagePullPolicy = "IfNotPresent",
        Command = ["sh", "-c", "mkdir -p /www && echo $HOSTNAME > /www/index.html && exec httpd -f -p 80 -h /www"],
        Ports = [new ContainerPortSpec { Name = "http", ContainerPort = 80 }],
        ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Port = 80, Path = "/" }, PeriodSeconds = 1 },
    };

    public static Deployment Web(string name, int replicas, string? nodeName = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec
                {
                    Containers = [Httpd()],
                    TerminationGracePeriodSeconds = 1,
                    NodeSelector = nodeName == null ? null : new() { ["kubernetes.io/hostname"] = nodeName },
                },
            },
        },
    };

    public static Service ServiceFor(string name, string? type = null, int? nodePort = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new ServiceSpec
        {
            Type = type,
            Selector = new() { ["app"] = name },
            Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = new IntOrString("http"), NodePort = nodePort }],
        },
    };

    /// <summary>A client Pod (busybox sleeping) to run wget/nslookup from.</summary>
    public static Action<PodSpec> Client(string? nodeName = null) => spec =>
    {
        spec.Containers.Add(AgentTestHarness.Busybox("main"));
        if (nodeName != null)
        {
            spec.NodeName = nodeName;
        }
    };

    /// <summary>Shell that prints the body of <paramref name="url"/> (busybox wget -T segfaults: timeout wraps it).</summary>
    public static string[] Fetch(string url) => ["sh", "-c", $"rm -f /tmp/body; timeout 3 wget -q -O /tmp/body {url} && cat /tmp/body || echo fetch-failed"];
}
