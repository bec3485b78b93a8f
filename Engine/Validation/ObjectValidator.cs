using System.Text.RegularExpressions;
using GitOrch.Api.Model;
using GitOrch.Api.Selectors;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Validation;

/// <summary>
/// The content rules every object must meet, whoever writes it: the API, a controller or a Git commit. Each
/// problem is a <see cref="StatusCause"/> with the field path (<c>spec.template.metadata.labels</c>), so the HTTP
/// API answers 422 with it and the source controller maps it to file and line.
/// </summary>
public static partial class ObjectValidator
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();

    public static void ThrowIfInvalid(KubeObject obj)
    {
        var causes = Validate(obj);
        if (causes.Count > 0)
        {
            throw StoreException.Invalid(ResourceKinds.Of(obj), obj.Metadata.Name ?? obj.Metadata.GenerateName, causes);
        }
    }

    public static IReadOnlyList<StatusCause> Validate(KubeObject obj)
    {
        var v = new Causes();
        ValidateMeta(obj, v);
        switch (obj)
        {
            case Pod p:
                PodSpecRules(p.Spec, "spec", v);
                break;
            case Deployment d:
                v.Required(d.Spec, "spec");
                Workload(d.Spec?.Selector, d.Spec?.Template, "spec", v);
                NonNegative(d.Spec?.Replicas, "spec.replicas", v);
                break;
            case ReplicaSet rs:
                v.Required(rs.Spec, "spec");
                Workload(rs.Spec?.Selector, rs.Spec?.Template, "spec", v);
                NonNegative(rs.Spec?.Replicas, "spec.replicas", v);
                break;
            case DaemonSet ds:
                v.Required(ds.Spec, "spec");
                Workload(ds.Spec?.Selector, ds.Spec?.Template, "spec", v);
                break;
            case StatefulSet ss:
                v.Required(ss.Spec, "spec");
                Workload(ss.Spec?.Selector, ss.Spec?.Template, "spec", v);
                NonNegative(ss.Spec?.Replicas, "spec.replicas", v);
                break;
            case Job j:
                v.Required(j.Spec, "spec");
                if (j.Spec != null)
                {
                    PodSpecRules(j.Spec.Template?.Spec, "spec.template.spec", v);
                    var restart = j.Spec.Template?.Spec?.RestartPolicy;
                    if (restart is not ("Never" or "OnFailure"))
                    {
                        v.Add("spec.template.spec.restartPolicy", "FieldValueNotSupported", $"Unsupported value: \"{restart}\": supported values: \"OnFailure\", \"Never\"");
                    }
                }

                break;
            case CronJob cj:
                v.Required(cj.Spec, "spec");
                if (cj.Spec != null && string.IsNullOrWhiteSpace(cj.Spec.Schedule))
                {
                    v.Add("spec.schedule", "FieldValueRequired", "Required value");
                }

                PodSpecRules(cj.Spec?.JobTemplate?.Spec?.Template?.Spec, "spec.jobTemplate.spec.template.spec", v);
                break;
            case Service s:
                ServiceRules(s, v);
                break;
            case ConfigMap cm:
                Keys(cm.Data?.Keys, "data", v);
                Keys(cm.BinaryData?.Keys, "binaryData", v);
                break;
            case Secret sec:
                Keys(sec.Data?.Keys, "data", v);
                Keys(sec.StringData?.Keys, "stringData", v);
                foreach (var kv in sec.Data ?? new Dictionary<string, string>())
                {
                    if (!IsBase64(kv.Value))
                    {
                        v.Add($"data[{kv.Key}]", "FieldValueInvalid", "illegal base64 data");
                    }
                }

                break;
            case GitSource g:
                v.Required(g.Spec, "spec");
                if (g.Spec != null && string.IsNullOrWhiteSpace(g.Spec.Url))
                {
                    v.Add("spec.url", "FieldValueRequired", "Required value");
                }

                break;
        }

        return v.List;
    }

    private static void ValidateMeta(KubeObject obj, Causes v)
    {
        var m = obj.Metadata;
        if (string.IsNullOrEmpty(m.Name) && string.IsNullOrEmpty(m.GenerateName))
        {
            v.Add("metadata.name", "FieldValueRequired", "name or generateName is required");
        }
        else if (!string.IsNullOrEmpty(m.Name))
        {
            var (regex, what) = obj switch
            {
                Namespace or Service => (Dns1123Label(), "a lowercase RFC 1123 label"),
                _ => (Dns1123Subdomain(), "a lowercase RFC 1123 subdomain"),
            };
            if (m.Name!.Length > 253 || !regex.IsMatch(m.Name) || (obj is Namespace or Service && m.Name.Length > 63))
            {
                v.Add("metadata.name", "FieldValueInvalid", $"Invalid value: \"{m.Name}\": must be {what} (lowercase letters, digits and '-', starting and ending with a letter or digit)");
            }
        }

        if (m.Namespace != null && !Dns1123Label().IsMatch(m.Namespace))
        {
            v.Add("metadata.namespace", "FieldValueInvalid", $"Invalid value: \"{m.Namespace}\": must be a lowercase RFC 1123 label");
        }

        Labels(m.Labels, "metadata.labels", v);
    }

    private static void Labels(Dictionary<string, string>? labels, string path, Causes v)
    {
        foreach (var kv in labels ?? new Dictionary<string, string>())
        {
            var name = kv.Key.Contains('/', StringComparison.Ordinal) ? kv.Key[(kv.Key.IndexOf('/', StringComparison.Ordinal) + 1)..] : kv.Key;
            if (name.Length == 0 || name.Length > 63 || !LabelValue().IsMatch(name))
            {
                v.Add(path, "FieldValueInvalid", $"Invalid value: \"{kv.Key}\": name part must consist of alphanumeric characters, '-', '_' or '.'");
            }

            if (kv.Value.Length > 63 || !LabelValue().IsMatch(kv.Value))
            {
                v.Add($"{path}[{kv.Key}]", "FieldValueInvalid", $"Invalid value: \"{kv.Value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'");
            }
        }
    }

    private static void Workload(LabelSelector? selector, PodTemplateSpec? template, string path, Causes v)
    {
        if (selector == null || ((selector.MatchLabels == null || selector.MatchLabels.Count == 0) && (selector.MatchExpressions == null || selector.MatchExpressions.Count == 0)))
        {
            v.Add(path + ".selector", "FieldValueRequired", "Required value: a non-empty selector is required");
        }
        else
        {
            try
            {
                if (!Selector.FromLabelSelector(selector).Matches(template?.Metadata?.Labels))
                {
                    v.Add(path + ".template.metadata.labels", "FieldValueInvalid", "Invalid value: `selector` does not match template `labels`");
                }
            }
            catch (FormatException ex)
            {
                v.Add(path + ".selector", "FieldValueInvalid", ex.Message);
            }
        }

        if (template?.Metadata?.Labels != null)
        {
            Labels(template.Metadata.Labels, path + ".template.metadata.labels", v);
        }

        PodSpecRules(template?.Spec, path + ".template.spec", v);
    }

    private static void PodSpecRules(PodSpec? spec, string path, Causes v)
    {
        if (spec == null)
        {
            v.Add(path, "FieldValueRequired", "Required value");
            return;
        }

        if (spec.Containers == null || spec.Containers.Count == 0)
        {
            v.Add(path + ".containers", "FieldValueRequired", "Required value: at least one container");
        }

        var names = new HashSet<string>();
        foreach (var (list, field) in new[] { (spec.InitContainers, "initContainers"), (spec.Containers, "containers") })
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                var c = list![i];
                var cp = $"{path}.{field}[{i}]";
                if (string.IsNullOrEmpty(c.Name))
                {
                    v.Add(cp + ".name", "FieldValueRequired", "Required value");
                }
                else if (!Dns1123Label().IsMatch(c.Name))
                {
                    v.Add(cp + ".name", "FieldValueInvalid", $"Invalid value: \"{c.Name}\": must be a lowercase RFC 1123 label");
                }
                else if (!names.Add(c.Name))
                {
                    v.Add(cp + ".name", "FieldValueDuplicate", $"Duplicate value: \"{c.Name}\"");
                }

                if (string.IsNullOrWhiteSpace(c.Image))
                {
                    v.Add(cp + ".image", "FieldValueRequired", "Required value");
                }

                for (var p = 0; p < (c.Ports?.Count ?? 0); p++)
                {
                    var port = c.Ports![p];
                    if (port.ContainerPort is < 1 or > 65535)
                    {
                        v.Add($"{cp}.ports[{p}].containerPort", "FieldValueInvalid", $"Invalid value: {port.ContainerPort}: must be between 1 and 65535, inclusive");
                    }

                    if (port.HostPort is < 0 or > 65535)
                    {
                        v.Add($"{cp}.ports[{p}].hostPort", "FieldValueInvalid", $"Invalid value: {port.HostPort}: must be between 1 and 65535, inclusive");
                    }
                }
            }
        }

        if (spec.RestartPolicy is not (null or "Always" or "OnFailure" or "Never"))
        {
            v.Add(path + ".restartPolicy", "FieldValueNotSupported", $"Unsupported value: \"{spec.RestartPolicy}\": supported values: \"Always\", \"OnFailure\", \"Never\"");
        }

        var volumes = new HashSet<string>();
        for (var i = 0; i < (spec.Volumes?.Count ?? 0); i++)
        {
            if (!volumes.Add(spec.Volumes![i].Name))
            {
                v.Add($"{path}.volumes[{i}].name", "FieldValueDuplicate", $"Duplicate value: \"{spec.Volumes[i].Name}\"");
            }
        }
    }

    private static void ServiceRules(Service s, Causes v)
    {
        var ports = s.Spec?.Ports;
        if (ports == null || ports.Count == 0)
        {
            v.Add("spec.ports", "FieldValueRequired", "Required value");
            return;
        }

        if (s.Spec!.Type is not (null or "ClusterIP" or "NodePort"))
        {
            v.Add("spec.type", "FieldValueNotSupported", $"Unsupported value: \"{s.Spec.Type}\": supported values: \"ClusterIP\", \"NodePort\"");
        }

        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            if (p.Port is < 1 or > 65535)
            {
                v.Add($"spec.ports[{i}].port", "FieldValueInvalid", $"Invalid value: {p.Port}: must be between 1 and 65535, inclusive");
            }

            if (ports.Count > 1 && string.IsNullOrEmpty(p.Name))
            {
                v.Add($"spec.ports[{i}].name", "FieldValueRequired", "Required value: ports must be named when there is more than one");
            }
            else if (!string.IsNullOrEmpty(p.Name) && !names.Add(p.Name!))
            {
                v.Add($"spec.ports[{i}].name", "FieldValueDuplicate", $"Duplicate value: \"{p.Name}\"");
            }

            if (p.Protocol is not (null or "TCP"))
            {
                v.Add($"spec.ports[{i}].protocol", "FieldValueNotSupported", $"Unsupported value: \"{p.Protocol}\": supported values: \"TCP\"");
            }

            if (p.TargetPort is { IsString: false } tp && tp.IntValue is < 1 or > 65535)
            {
                v.Add($"spec.ports[{i}].targetPort", "FieldValueInvalid", $"Invalid value: {tp.IntValue}: must be between 1 and 65535, inclusive");
            }
        }
    }

    private static void Keys(IEnumerable<string>? keys, string path, Causes v)
    {
        foreach (var k in keys ?? Array.Empty<string>())
        {
            if (k.Length == 0 || k.Length > 253 || !ConfigKey().IsMatch(k))
            {
                v.Add($"{path}[{k}]", "FieldValueInvalid", $"Invalid value: \"{k}\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
            }
        }
    }

    private static void NonNegative(int? value, string path, Causes v)
    {
        if (value < 0)
        {
            v.Add(path, "FieldValueInvalid", $"Invalid value: {value}: must be greater than or equal to 0");
        }
    }

    private static bool IsBase64(string s)
    {
        try
        {
            Convert.FromBase64String(s);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class Causes
    {
        public List<StatusCause> List { get; } = new();

        public void Add(string field, string reason, string message) => List.Add(new StatusCause { Field = field, Reason = reason, Message = message });

        public void Required(object? value, string field)
        {
            if (value == null)
            {
                Add(field, "FieldValueRequired", "Required value");
            }
        }
    }
}
