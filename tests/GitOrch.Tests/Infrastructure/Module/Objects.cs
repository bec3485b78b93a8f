using GitOrch.Api.Model;

namespace GitOrch.Tests.Infrastructure.Module;

/// <summary>Small valid objects for the module tests.</summary>
internal static class Objects
{
    public static Pod Pod(string name, string ns = "default", string app = "web", string? node = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new() { ["app"] = app } },
        Spec = new PodSpec { NodeName = node, Containers = new() { new Container { Name = "main", Image = "gitorch-test/busybox:latest" } } },
    };

    public static Deployment Deployment(string name, int replicas = 2, string image = "gitorch-test/busybox:latest", string ns = "default") => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new() { ["app"] = name } },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec { Containers = new() { new Container { Name = name, Image = image } } },
            },
        },
    };

    /// <summary>A ReplicaSet as the Deployment controller writes it: owned by the Deployment, with a revision.</summary>
    public static ReplicaSet Revision(Deployment d, int revision, string image) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = d.Name + "-r" + revision,
            Namespace = d.Namespace,
            Labels = new() { ["app"] = d.Name, ["pod-template-hash"] = "h" + revision },
            Annotations = new() { ["deployment.kubernetes.io/revision"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            OwnerReferences = new() { new OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = d.Name, Uid = d.Metadata.Uid!, Controller = true } },
        },
        Spec = new ReplicaSetSpec
        {
            Replicas = 0,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = d.Name, ["pod-template-hash"] = "h" + revision } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = d.Name, ["pod-template-hash"] = "h" + revision } },
                Spec = new PodSpec { Containers = new() { new Container { Name = d.Name, Image = image } } },
            },
        },
    };
}
