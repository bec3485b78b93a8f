using GitOrch.Api.Model;

namespace GitOrch.Engine.Defaulting;

/// <summary>Kubernetes' Service defaults: type ClusterIP, sessionAffinity None, each port TCP with targetPort = port.</summary>
public static class ServiceDefaults
{
    public static void Apply(Service service)
    {
        if (service.Spec == null)
        {
            return;
        }

        service.Spec.Type ??= "ClusterIP";
        service.Spec.SessionAffinity ??= "None";
        foreach (var p in service.Spec.Ports ?? [])
        {
            p.Protocol ??= "TCP";
            p.TargetPort ??= new IntOrString(p.Port);
        }
    }
}
