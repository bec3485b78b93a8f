namespace GitOrch.Tests.Infrastructure.EndToEnd;

/// <summary>What examples/hello fixes: its ports on the node address and the page it starts with.</summary>
public static class HelloPorts
{
    /// <summary>The hello Service's port; every agent's proxy listens on it at the node address.</summary>
    public const int Service = 8000;

    /// <summary>The container's hostPort: httpd itself, on the address of the node the Pod runs on.</summary>
    public const int Container = 8080;

    /// <summary>The heading of the page in examples/hello/configmap.yaml.</summary>
    public const string FirstHeading = "<h1>Hello from GitOrch</h1>";
}
