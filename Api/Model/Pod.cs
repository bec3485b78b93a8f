using System;
using System.Collections.Generic;

namespace GitOrch.Api.Model;

public sealed class Pod : KubeObject<PodSpec, PodStatus>
{
}

public sealed class PodTemplateSpec : Extensible
{
    public ObjectMeta? Metadata { get; set; }
    public PodSpec? Spec { get; set; }
}

public sealed class PodSpec : Extensible
{
    public List<Container> Containers { get; set; } = new();
    public List<Container>? InitContainers { get; set; }
    public List<Volume>? Volumes { get; set; }
    public string? RestartPolicy { get; set; }
    public long? TerminationGracePeriodSeconds { get; set; }
    public long? ActiveDeadlineSeconds { get; set; }
    public Dictionary<string, string>? NodeSelector { get; set; }
    public string? NodeName { get; set; }
    public string? ServiceAccountName { get; set; }
    public bool? HostNetwork { get; set; }
    public string? Hostname { get; set; }
    public string? Subdomain { get; set; }
    public Affinity? Affinity { get; set; }
    public List<Toleration>? Tolerations { get; set; }
    public List<LocalObjectReference>? ImagePullSecrets { get; set; }
    public string? SchedulerName { get; set; }
    public int? Priority { get; set; }
    /// <summary>ClusterFirst (default), ClusterFirstWithHostNet, Default (the node's resolvers), None (only <see cref="DnsConfig"/>).</summary>
    public string? DnsPolicy { get; set; }
    public PodDNSConfig? DnsConfig { get; set; }
}

public sealed class PodDNSConfig : Extensible
{
    public List<string>? Nameservers { get; set; }
    public List<string>? Searches { get; set; }
    public List<PodDNSConfigOption>? Options { get; set; }
}

public sealed class PodDNSConfigOption : Extensible
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
}

public sealed class Container : Extensible
{
    public string Name { get; set; } = "";
    public string? Image { get; set; }
    public string? ImagePullPolicy { get; set; }
    public List<string>? Command { get; set; }
    public List<string>? Args { get; set; }
    public string? WorkingDir { get; set; }
    public List<ContainerPortSpec>? Ports { get; set; }
    public List<EnvVar>? Env { get; set; }
    public List<EnvFromSource>? EnvFrom { get; set; }
    public ResourceRequirements? Resources { get; set; }
    public List<VolumeMount>? VolumeMounts { get; set; }
    public Probe? LivenessProbe { get; set; }
    public Probe? ReadinessProbe { get; set; }
    public Probe? StartupProbe { get; set; }
    public string? TerminationMessagePath { get; set; }
    public string? TerminationMessagePolicy { get; set; }
}

public sealed class ContainerPortSpec : Extensible
{
    public string? Name { get; set; }
    public int ContainerPort { get; set; }
    public int? HostPort { get; set; }
    public string? HostIP { get; set; }
    public string? Protocol { get; set; }
}

public sealed class EnvVar : Extensible
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    public EnvVarSource? ValueFrom { get; set; }
}

public sealed class EnvVarSource : Extensible
{
    public KeySelector? ConfigMapKeyRef { get; set; }
    public KeySelector? SecretKeyRef { get; set; }
    public ObjectFieldSelector? FieldRef { get; set; }
}

public sealed class KeySelector : Extensible
{
    public string? Name { get; set; }
    public string Key { get; set; } = "";
    public bool? Optional { get; set; }
}

public sealed class ObjectFieldSelector : Extensible
{
    public string? ApiVersion { get; set; }
    public string FieldPath { get; set; } = "";
}

public sealed class EnvFromSource : Extensible
{
    public string? Prefix { get; set; }
    public NamedSource? ConfigMapRef { get; set; }
    public NamedSource? SecretRef { get; set; }
}

public sealed class NamedSource : Extensible
{
    public string? Name { get; set; }
    public bool? Optional { get; set; }
}

public sealed class ResourceRequirements : Extensible
{
    public Dictionary<string, Quantity>? Limits { get; set; }
    public Dictionary<string, Quantity>? Requests { get; set; }
}

public sealed class VolumeMount : Extensible
{
    public string Name { get; set; } = "";
    public string MountPath { get; set; } = "";
    public bool? ReadOnly { get; set; }
    public string? SubPath { get; set; }
}

public sealed class Volume : Extensible
{
    public string Name { get; set; } = "";
    public EmptyDirVolumeSource? EmptyDir { get; set; }
    public HostPathVolumeSource? HostPath { get; set; }
    public ConfigMapVolumeSource? ConfigMap { get; set; }
    public SecretVolumeSource? Secret { get; set; }
    public PersistentVolumeClaimVolumeSource? PersistentVolumeClaim { get; set; }
}

public sealed class EmptyDirVolumeSource : Extensible
{
    public string? Medium { get; set; }
    public Quantity? SizeLimit { get; set; }
}

public sealed class HostPathVolumeSource : Extensible
{
    public string Path { get; set; } = "";
    public string? Type { get; set; }
}

public sealed class KeyToPath : Extensible
{
    public string Key { get; set; } = "";
    public string Path { get; set; } = "";
    public int? Mode { get; set; }
}

public sealed class ConfigMapVolumeSource : Extensible
{
    public string? Name { get; set; }
    public List<KeyToPath>? Items { get; set; }
    public int? DefaultMode { get; set; }
    public bool? Optional { get; set; }
}

public sealed class SecretVolumeSource : Extensible
{
    public string? SecretName { get; set; }
    public List<KeyToPath>? Items { get; set; }
    public int? DefaultMode { get; set; }
    public bool? Optional { get; set; }
}

public sealed class PersistentVolumeClaimVolumeSource : Extensible
{
    public string ClaimName { get; set; } = "";
    public bool? ReadOnly { get; set; }
}

public sealed class Probe : Extensible
{
    public ExecAction? Exec { get; set; }
    public HttpGetAction? HttpGet { get; set; }
    public TcpSocketAction? TcpSocket { get; set; }
    public int? InitialDelaySeconds { get; set; }
    public int? PeriodSeconds { get; set; }
    public int? TimeoutSeconds { get; set; }
    public int? SuccessThreshold { get; set; }
    public int? FailureThreshold { get; set; }
}

public sealed class ExecAction : Extensible
{
    public List<string>? Command { get; set; }
}

public sealed class HttpGetAction : Extensible
{
    public string? Path { get; set; }
    public IntOrString Port { get; set; }
    public string? Host { get; set; }
    public string? Scheme { get; set; }
}

public sealed class TcpSocketAction : Extensible
{
    public IntOrString Port { get; set; }
    public string? Host { get; set; }
}

public sealed class Affinity : Extensible
{
    public NodeAffinity? NodeAffinity { get; set; }
    public PodAffinity? PodAffinity { get; set; }
    public PodAffinity? PodAntiAffinity { get; set; }
}

public sealed class NodeAffinity : Extensible
{
    public NodeSelector? RequiredDuringSchedulingIgnoredDuringExecution { get; set; }
    public List<PreferredSchedulingTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; set; }
}

public sealed class NodeSelector : Extensible
{
    public List<NodeSelectorTerm> NodeSelectorTerms { get; set; } = new();
}

public sealed class NodeSelectorTerm : Extensible
{
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
    public List<LabelSelectorRequirement>? MatchFields { get; set; }
}

public sealed class PreferredSchedulingTerm : Extensible
{
    public int Weight { get; set; }
    public NodeSelectorTerm Preference { get; set; } = new();
}

public sealed class PodAffinity : Extensible
{
    public List<PodAffinityTerm>? RequiredDuringSchedulingIgnoredDuringExecution { get; set; }
    public List<WeightedPodAffinityTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; set; }
}

public sealed class PodAffinityTerm : Extensible
{
    public LabelSelector? LabelSelector { get; set; }
    public List<string>? Namespaces { get; set; }
    public string TopologyKey { get; set; } = "";
}

public sealed class WeightedPodAffinityTerm : Extensible
{
    public int Weight { get; set; }
    public PodAffinityTerm PodAffinityTerm { get; set; } = new();
}

public sealed class Toleration : Extensible
{
    public string? Key { get; set; }
    public string? Operator { get; set; }
    public string? Value { get; set; }
    public string? Effect { get; set; }
    public long? TolerationSeconds { get; set; }
}

public sealed class PodStatus : Extensible
{
    /// <summary>Pending, Running, Succeeded, Failed, Unknown.</summary>
    public string? Phase { get; set; }
    public List<Condition>? Conditions { get; set; }
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public string? HostIP { get; set; }
    public string? PodIP { get; set; }
    public List<PodIP>? PodIPs { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public List<ContainerStatus>? InitContainerStatuses { get; set; }
    public List<ContainerStatus>? ContainerStatuses { get; set; }
    /// <summary>Guaranteed, Burstable or BestEffort: set by the API server from the containers' resources.</summary>
    public string? QosClass { get; set; }
}

public sealed class PodIP : Extensible
{
    public string Ip { get; set; } = "";
}

public sealed class ContainerStatus : Extensible
{
    public string Name { get; set; } = "";
    public ContainerState? State { get; set; }
    public ContainerState? LastState { get; set; }
    public bool Ready { get; set; }
    public int RestartCount { get; set; }
    public string? Image { get; set; }
    public string? ImageID { get; set; }
    public string? ContainerID { get; set; }
    public bool? Started { get; set; }
}

public sealed class ContainerState : Extensible
{
    public ContainerStateWaiting? Waiting { get; set; }
    public ContainerStateRunning? Running { get; set; }
    public ContainerStateTerminated? Terminated { get; set; }
}

public sealed class ContainerStateWaiting : Extensible
{
    public string? Reason { get; set; }
    public string? Message { get; set; }
}

public sealed class ContainerStateRunning : Extensible
{
    public DateTimeOffset? StartedAt { get; set; }
}

public sealed class ContainerStateTerminated : Extensible
{
    public int ExitCode { get; set; }
    public int? Signal { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? ContainerID { get; set; }
}

/// <summary>Body of the pods/binding subresource: binds a Pod to a node.</summary>
public sealed class Binding : KubeObject
{
    public ObjectReference Target { get; set; } = new();
}
