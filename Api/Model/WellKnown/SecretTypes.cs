namespace GitOrch.Api.Model;

/// <summary>Values of a Secret's <c>type</c> GitOrch understands, and the data keys they define.</summary>
public static class SecretTypes
{
    public const string Opaque = "Opaque";

    /// <summary>Image pull credentials: a Docker config.json under <see cref="DockerConfigJsonKey"/>.</summary>
    public const string DockerConfigJson = "kubernetes.io/dockerconfigjson";

    public const string DockerConfigJsonKey = ".dockerconfigjson";

    public const string BasicAuth = "kubernetes.io/basic-auth";
}
