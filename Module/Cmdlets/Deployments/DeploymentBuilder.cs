using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using GitOrch.Api.Model;

namespace GitOrch.Module.Cmdlets.Deployments;

/// <summary>
/// The Deployment New-Deployment writes: label app=&lt;name&gt; (its selector) plus any -Label on the Deployment
/// and its Pods, one container named like the Deployment.
/// </summary>
internal static class DeploymentBuilder
{
    public static Deployment Build(string name, string ns, string image, int replicas, int[]? ports, Hashtable? env, string[]? command = null, string? imagePullPolicy = null, Hashtable? labels = null)
    {
        Dictionary<string, string> Selector() => new() { ["app"] = name };
        Dictionary<string, string> Labels()
        {
            var all = Selector();
            foreach (DictionaryEntry kv in labels ?? new Hashtable())
            {
                all[kv.Key.ToString() ?? ""] = System.Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? "";
            }

            return all;
        }

        var container = new Container { Name = name, Image = image, Command = command is { Length: > 0 } ? command.ToList() : null, ImagePullPolicy = imagePullPolicy };
        if (ports is { Length: > 0 })
        {
            container.Ports = ports.Select(p => new ContainerPortSpec { ContainerPort = p }).ToList();
        }

        if (env is { Count: > 0 })
        {
            container.Env = env.Cast<DictionaryEntry>()
                .Select(e => new EnvVar { Name = e.Key.ToString() ?? "", Value = System.Convert.ToString(e.Value, CultureInfo.InvariantCulture) })
                .OrderBy(e => e.Name, System.StringComparer.Ordinal)
                .ToList();
        }

        return new Deployment
        {
            ApiVersion = ResourceKinds.Deployment.ApiVersion,
            Kind = ResourceKinds.Deployment.Kind,
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = Labels() },
            Spec = new DeploymentSpec
            {
                Replicas = replicas,
                Selector = new LabelSelector { MatchLabels = Selector() },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = Labels() },
                    Spec = new PodSpec { Containers = new List<Container> { container } },
                },
            },
        };
    }
}
