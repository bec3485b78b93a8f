using System.Text;

namespace GitOrch.Engine.Security.Tls;

/// <summary>
/// <c>&lt;data-dir&gt;/kubeconfig.yaml</c>: cluster <c>gitorch</c> (server URL, the CA as certificate-authority-data),
/// user <c>admin</c> (the admin token), context <c>gitorch</c> as current-context, so
/// <c>KUBECONFIG=&lt;data-dir&gt;/kubeconfig.yaml kubectl get pods</c> works with no flags. Written at every start
/// (the address may change with port 0); mode 0600 because it holds the admin token.
/// </summary>
public static class KubeconfigFile
{
    public const string Name = "gitorch";
    public const string User = "admin";

    public static string Render(Uri server, string caPem, string adminToken)
    {
        // Every value is a URL, base64 or hex: quoted YAML scalars need no further escaping.
        var caData = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {Name}
              cluster:
                server: "{server.ToString().TrimEnd('/')}"
                certificate-authority-data: "{caData}"
            users:
            - name: {User}
              user:
                token: "{adminToken}"
            contexts:
            - name: {Name}
              context:
                cluster: {Name}
                user: {User}
                namespace: default
            current-context: {Name}
            preferences: {"{}"}

            """;
    }

    public static string Write(string dataDir, Uri server, string caPem, string adminToken)
    {
        var path = Path.Combine(dataDir, TlsFiles.Kubeconfig);
        TlsFiles.WritePrivate(path, Render(server, caPem, adminToken));
        return path;
    }
}
