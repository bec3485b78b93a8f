using System;
using System.Collections.Generic;
using System.Linq;

namespace GitOrch.Api.Model;

/// <summary>The registry of every kind GitOrch serves: the one table routes, the YAML loader and clients share.</summary>
public static class ResourceKinds
{
    public static readonly ResourceKind Namespace = new("", "v1", "Namespace", "namespaces", false, typeof(Namespace), "ns");
    public static readonly ResourceKind Node = new("", "v1", "Node", "nodes", false, typeof(Node), "no");
    public static readonly ResourceKind Pod = new("", "v1", "Pod", "pods", true, typeof(Pod), "po");
    public static readonly ResourceKind Service = new("", "v1", "Service", "services", true, typeof(Service), "svc");
    public static readonly ResourceKind Endpoints = new("", "v1", "Endpoints", "endpoints", true, typeof(Endpoints), "ep");
    public static readonly ResourceKind ConfigMap = new("", "v1", "ConfigMap", "configmaps", true, typeof(ConfigMap), "cm");
    public static readonly ResourceKind Secret = new("", "v1", "Secret", "secrets", true, typeof(Secret));
    public static readonly ResourceKind Event = new("", "v1", "Event", "events", true, typeof(Event), "ev");
    public static readonly ResourceKind Deployment = new("apps", "v1", "Deployment", "deployments", true, typeof(Deployment), "deploy");
    public static readonly ResourceKind ReplicaSet = new("apps", "v1", "ReplicaSet", "replicasets", true, typeof(ReplicaSet), "rs");
    public static readonly ResourceKind DaemonSet = new("apps", "v1", "DaemonSet", "daemonsets", true, typeof(DaemonSet), "ds");
    public static readonly ResourceKind StatefulSet = new("apps", "v1", "StatefulSet", "statefulsets", true, typeof(StatefulSet), "sts");
    public static readonly ResourceKind Job = new("batch", "v1", "Job", "jobs", true, typeof(Job));
    public static readonly ResourceKind CronJob = new("batch", "v1", "CronJob", "cronjobs", true, typeof(CronJob), "cj");
    public static readonly ResourceKind GitSource = new("gitorch.io", "v1", "GitSource", "gitsources", true, typeof(GitSource), "gs");
    public static readonly ResourceKind HorizontalPodAutoscaler = new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, typeof(HorizontalPodAutoscaler), "hpa");

    // metrics.k8s.io: served from the Engine's usage cache (Engine/Metrics), never stored; get and list only.
    public static readonly ResourceKind NodeMetrics = new("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", false, typeof(NodeMetrics));
    public static readonly ResourceKind PodMetrics = new("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", true, typeof(PodMetrics));

    public static IReadOnlyList<ResourceKind> All { get; } = new[]
    {
        Namespace, Node, Pod, Service, Endpoints, ConfigMap, Secret, Event,
        Deployment, ReplicaSet, DaemonSet, StatefulSet, Job, CronJob, GitSource,
        HorizontalPodAutoscaler,
    };

    /// <summary>Kinds in kubectl's <c>all</c> category (<c>kubectl get all</c>), as Kubernetes puts them there.</summary>
    private static readonly HashSet<ResourceKind> AllCategory = new() { Pod, Service, Deployment, ReplicaSet, DaemonSet, StatefulSet, Job, CronJob };

    /// <summary>The discovery categories of a kind (<c>all</c> for workloads and Services).</summary>
    public static IReadOnlyList<string> CategoriesOf(ResourceKind kind) => AllCategory.Contains(kind) ? new[] { "all" } : Array.Empty<string>();

    /// <summary>Kinds served read-only from memory rather than the store (metrics.k8s.io); discovery lists them with All.</summary>
    public static IReadOnlyList<ResourceKind> ReadOnly { get; } = new[] { NodeMetrics, PodMetrics };

    private static readonly Dictionary<Type, ResourceKind> ByType = All.Concat(ReadOnly).ToDictionary(k => k.Type);
    private static readonly Dictionary<string, ResourceKind> ByApiVersionKind = All.ToDictionary(k => k.ApiVersion + "/" + k.Kind, StringComparer.Ordinal);
    private static readonly Dictionary<string, ResourceKind> ByName = BuildNameIndex();

    public static ResourceKind Of<T>() where T : KubeObject => ByType[typeof(T)];

    public static ResourceKind Of(Type type) => ByType.TryGetValue(type, out var k) ? k : throw new ArgumentException($"{type.Name} is not a GitOrch kind");

    public static ResourceKind Of(KubeObject obj) => Of(obj.GetType());

    /// <summary>Finds a kind by apiVersion and kind, as written in a manifest.</summary>
    public static bool TryFind(string? apiVersion, string? kind, out ResourceKind resourceKind)
        => ByApiVersionKind.TryGetValue(apiVersion + "/" + kind, out resourceKind!);

    /// <summary>Finds a kind by a name a person types: kind, plural or short name, any case.</summary>
    public static bool TryFindByName(string name, out ResourceKind resourceKind)
        => ByName.TryGetValue(name.ToLowerInvariant(), out resourceKind!);

    /// <summary>Finds a kind from URL parts: group ("" for core), version and plural.</summary>
    public static ResourceKind? FromPath(string group, string version, string plural)
    {
        foreach (var k in All)
        {
            if (k.Group == group && k.Version == version && k.Plural == plural)
            {
                return k;
            }
        }

        return null;
    }

    private static Dictionary<string, ResourceKind> BuildNameIndex()
    {
        var index = new Dictionary<string, ResourceKind>(StringComparer.Ordinal);
        foreach (var k in All)
        {
            index[k.Kind.ToLowerInvariant()] = k;
            index[k.Plural] = k;
            if (k.ShortName != null)
            {
                index[k.ShortName] = k;
            }
        }

        return index;
    }
}
