using GitOrch.Api.Model;

namespace GitOrch.Tests.Infrastructure.Http;

/// <summary>Small valid objects for API tests.</summary>
internal static class Objects
{
    public static Pod Pod(string name, string ns = "default", Dictionary<string, string>? labels = null, string? nodeName = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
        Spec = new PodSpec { NodeName = nodeName, Containers = [new Container { Name = "main", Image = "gitorch-test/busybox:latest" }] },
    };

    public static ConfigMap ConfigMap(string name, string ns = "default", Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = "value" },
    };

    public static Deployment Deployment(string name, int replicas = 1, string ns = "default") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec { Containers = [new Container { Name = "main", Image = "gitorch-test/busybox:latest" }] },
            },
        },
    };

    public static Node Node(string name) => new() { Metadata = new ObjectMeta { Name = name }, Spec = new NodeSpec() };
}
