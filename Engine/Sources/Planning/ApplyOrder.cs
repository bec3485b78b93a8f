using GitOrch.Api.Model;

namespace GitOrch.Engine.Sources.Planning;

/// <summary>
/// Dependency order for applying: namespaces first (everything lives in one), then configuration that
/// pods mount, then services (so endpoints exist when pods come up), then workloads. Deletes run in reverse.
/// </summary>
public static class ApplyOrder
{
    public static int Of(ResourceKind kind)
    {
        if (kind == ResourceKinds.Namespace)
        {
            return 0;
        }

        if (kind == ResourceKinds.ConfigMap || kind == ResourceKinds.Secret)
        {
            return 1;
        }

        if (kind == ResourceKinds.Service)
        {
            return 2;
        }

        return kind == ResourceKinds.GitSource ? 4 : 3;
    }
}
