namespace GitOrch.Tests.Infrastructure.Sources;

/// <summary>Small manifests for tests.</summary>
public static class Manifests
{
    public static string ConfigMap(string name, string value = "v1", string? ns = null) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
        {(ns == null ? "" : "  namespace: " + ns + "\n")}data:
          key: "{value}"
        """;

    public static string Deployment(string name, string image = "busybox:1", int replicas = 1) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: {replicas}
          selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
              - name: main
                image: {image}
        """;

    public static string Service(string name, int port = 80) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
        spec:
          selector:
            app: {name}
          ports:
          - port: {port}
            targetPort: 8080
        """;
}
