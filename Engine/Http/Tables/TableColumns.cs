using System.Globalization;
using GitOrch.Api.Model;

namespace GitOrch.Engine.Http.Tables;

/// <summary>The columns kubectl shows for each kind, as Kubernetes' API server prints them (pkg/printers/internalversion).</summary>
internal static class TableColumns
{
    private static readonly TableColumn Name = TableColumn.Text("Name", o => o.Name);

    public static IReadOnlyList<TableColumn> For(ResourceKind kind) => kind.Kind switch
    {
        "Pod" =>
        [
            Name, TableColumn.Text("Ready", o => PodCells.Ready((Pod)o)), TableColumn.Text("Status", o => PodCells.Status((Pod)o)),
            TableColumn.Number("Restarts", o => ((Pod)o).Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0), TableColumn.Age(),
            TableColumn.Text("IP", o => ((Pod)o).Status?.PodIP, 1), TableColumn.Text("Node", o => ((Pod)o).Spec?.NodeName, 1),
        ],
        "Deployment" =>
        [
            Name, TableColumn.Text("Ready", o => $"{((Deployment)o).Status?.ReadyReplicas ?? 0}/{((Deployment)o).Spec?.Replicas ?? 0}"),
            TableColumn.Number("Up-to-date", o => ((Deployment)o).Status?.UpdatedReplicas ?? 0), TableColumn.Number("Available", o => ((Deployment)o).Status?.AvailableReplicas ?? 0),
            TableColumn.Age(), .. Template("Containers", "Images", o => ((Deployment)o).Spec?.Template.Spec), TableColumn.Text("Selector", o => Selector(((Deployment)o).Spec?.Selector), 1),
        ],
        "ReplicaSet" =>
        [
            Name, TableColumn.Number("Desired", o => ((ReplicaSet)o).Spec?.Replicas ?? 0), TableColumn.Number("Current", o => ((ReplicaSet)o).Status?.Replicas ?? 0),
            TableColumn.Number("Ready", o => ((ReplicaSet)o).Status?.ReadyReplicas ?? 0), TableColumn.Age(),
            .. Template("Containers", "Images", o => ((ReplicaSet)o).Spec?.Template.Spec), TableColumn.Text("Selector", o => Selector(((ReplicaSet)o).Spec?.Selector), 1),
        ],
        "DaemonSet" =>
        [
            Name, TableColumn.Number("Desired", o => ((DaemonSet)o).Status?.DesiredNumberScheduled ?? 0), TableColumn.Number("Current", o => ((DaemonSet)o).Status?.CurrentNumberScheduled ?? 0),
            TableColumn.Number("Ready", o => ((DaemonSet)o).Status?.NumberReady ?? 0), TableColumn.Number("Up-to-date", o => ((DaemonSet)o).Status?.UpdatedNumberScheduled ?? 0),
            TableColumn.Number("Available", o => ((DaemonSet)o).Status?.NumberAvailable ?? 0), TableColumn.Text("Node Selector", o => Pairs(((DaemonSet)o).Spec?.Template.Spec?.NodeSelector)), TableColumn.Age(),
        ],
        "StatefulSet" => [Name, TableColumn.Text("Ready", o => $"{((StatefulSet)o).Status?.ReadyReplicas ?? 0}/{((StatefulSet)o).Spec?.Replicas ?? 0}"), TableColumn.Age()],
        "Service" =>
        [
            Name, TableColumn.Text("Type", o => ((Service)o).Spec?.Type ?? "ClusterIP"), TableColumn.Text("Cluster-IP", o => ((Service)o).Spec?.ClusterIP is { Length: > 0 } ip ? ip : "<none>"),
            TableColumn.Text("External-IP", _ => "<none>"), TableColumn.Text("Port(s)", o => Ports((Service)o)), TableColumn.Age(), TableColumn.Text("Selector", o => Pairs(((Service)o).Spec?.Selector), 1),
        ],
        "Endpoints" => [Name, TableColumn.Text("Endpoints", o => Endpoints((Endpoints)o)), TableColumn.Age()],
        "ConfigMap" => [Name, TableColumn.Number("Data", o => (((ConfigMap)o).Data?.Count ?? 0) + (((ConfigMap)o).BinaryData?.Count ?? 0)), TableColumn.Age()],
        "Secret" => [Name, TableColumn.Text("Type", o => ((Secret)o).Type ?? "Opaque"), TableColumn.Number("Data", o => ((Secret)o).Data?.Count ?? 0), TableColumn.Age()],
        "Namespace" => [Name, TableColumn.Text("Status", o => ((Namespace)o).Status?.Phase ?? "Active"), TableColumn.Age()],
        "Node" =>
        [
            Name, TableColumn.Text("Status", o => NodeStatus((Node)o)), TableColumn.Text("Roles", _ => "<none>"), TableColumn.Age(),
            TableColumn.Text("Version", o => ((Node)o).Status?.NodeInfo?.KubeletVersion ?? ""),
        ],
        "Event" =>
        [
            TableColumn.Text("Last Seen", _ => null) with { Cell = (o, now) => HumanDuration.Since(((Event)o).LastTimestamp ?? o.Metadata.CreationTimestamp, now) },
            TableColumn.Text("Type", o => ((Event)o).Type ?? "Normal"), TableColumn.Text("Reason", o => ((Event)o).Reason),
            TableColumn.Text("Object", o => $"{((Event)o).InvolvedObject.Kind?.ToLowerInvariant()}/{((Event)o).InvolvedObject.Name}"), TableColumn.Text("Message", o => ((Event)o).Message),
        ],
        "Job" =>
        [
            Name, TableColumn.Text("Completions", o => $"{((Job)o).Status?.Succeeded ?? 0}/{((Job)o).Spec?.Completions ?? 1}"),
            TableColumn.Text("Duration", _ => null) with { Cell = (o, now) => JobDuration((Job)o, now) }, TableColumn.Age(),
        ],
        "CronJob" =>
        [
            Name, TableColumn.Text("Schedule", o => ((CronJob)o).Spec?.Schedule), TableColumn.Text("Suspend", o => ((CronJob)o).Spec?.Suspend == true ? "True" : "False"),
            TableColumn.Number("Active", o => ((CronJob)o).Status?.Active?.Count ?? 0),
            TableColumn.Text("Last Schedule", _ => null) with { Cell = (o, now) => ((CronJob)o).Status?.LastScheduleTime is { } t ? HumanDuration.Since(t, now) : "<none>" }, TableColumn.Age(),
        ],
        "GitSource" =>
        [
            Name, TableColumn.Text("Ready", o => ConditionOf(((GitSource)o).Status?.Conditions, "Ready")?.Status ?? "Unknown"),
            TableColumn.Text("Status", o => ConditionOf(((GitSource)o).Status?.Conditions, "Ready")?.Message ?? ""), TableColumn.Age(),
        ],
        _ => [Name, TableColumn.Age()],
    };

    private static TableColumn[] Template(string containers, string images, Func<KubeObject, PodSpec?> spec) =>
    [
        TableColumn.Text(containers, o => string.Join(',', spec(o)?.Containers.Select(c => c.Name) ?? []), 1),
        TableColumn.Text(images, o => string.Join(',', spec(o)?.Containers.Select(c => c.Image) ?? []), 1),
    ];

    private static Condition? ConditionOf(List<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    private static string Selector(LabelSelector? s) => s?.MatchLabels is { Count: > 0 } m ? Pairs(m) : "<none>";

    private static string Pairs(Dictionary<string, string>? map) => map is { Count: > 0 } ? string.Join(',', map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)) : "<none>";

    private static string Ports(Service s) => s.Spec?.Ports is { Count: > 0 } ports
        ? string.Join(',', ports.Select(p => p.NodePort is { } np && np != 0 ? $"{p.Port}:{np}/{p.Protocol ?? "TCP"}" : $"{p.Port}/{p.Protocol ?? "TCP"}"))
        : "<none>";

    private static string Endpoints(Endpoints e)
    {
        var all = (e.Subsets ?? []).SelectMany(s => (s.Addresses ?? []).SelectMany(a => (s.Ports is { Count: > 0 } ps ? ps.Select(p => $"{a.Ip}:{p.Port}") : [a.Ip ?? ""]))).ToList();
        return all.Count == 0 ? "<none>" : string.Join(',', all.Take(3)) + (all.Count > 3 ? $" + {all.Count - 3} more..." : "");
    }

    private static string NodeStatus(Node n)
    {
        var ready = ConditionOf(n.Status?.Conditions, "Ready")?.Status == ConditionStatus.True ? "Ready" : "NotReady";
        return n.Spec?.Unschedulable == true ? ready + ",SchedulingDisabled" : ready;
    }

    private static string JobDuration(Job j, DateTimeOffset now)
        => j.Status?.StartTime is not { } start ? "" : HumanDuration.Format((j.Status.CompletionTime ?? now) - start);

    internal static string Invariant(long v) => v.ToString(CultureInfo.InvariantCulture);
}
