namespace GitOrch.Engine.Security;

/// <summary>Who a bearer token speaks for.</summary>
public enum ApiRole
{
    /// <summary>admin.token: everything.</summary>
    Admin,

    /// <summary>agent.token: what a node agent needs (see <see cref="Authorizer"/>).</summary>
    Agent,

    /// <summary>metrics.token: <c>GET /metrics</c> only (a Prometheus scrape config).</summary>
    Metrics,
}
