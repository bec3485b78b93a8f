using GitOrch.Api.Client.Tls;

namespace GitOrch.Engine.Security.Tls;

/// <summary>
/// <c>GET /cacerts</c> (anonymous, as in k3s): the Engine's CA certificate as PEM. A joining agent with only the
/// CA's fingerprint (K10 join token) reads it over an unverified connection, checks the fingerprint, and from then
/// on trusts only that CA. The CA is public; nothing secret is sent before the check.
/// </summary>
internal static class CaCertsEndpoint
{
    public static void MapCaCerts(this IEndpointRouteBuilder app)
        => app.MapGet(CaBootstrap.Path, (EngineTls tls) => Results.Text(tls.Ca.Pem, "application/x-pem-file"));
}
