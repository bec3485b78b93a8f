namespace GitOrch.Agent.Runtime;

/// <summary>An image name split the way Docker does: <c>[registry/]repository[:tag][@digest]</c>.</summary>
public sealed record ImageReference(string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>Registry host the credentials are for: the first path part when it looks like a host, else Docker Hub.</summary>
    public string Registry
    {
        get
        {
            var slash = Repository.IndexOf('/');
            if (slash < 0)
            {
                return DockerHub;
            }

            var first = Repository[..slash];
            return first.Contains('.') || first.Contains(':') || first == "localhost" ? first : DockerHub;
        }
    }

    /// <summary>The Kubernetes default pull policy: Always for <c>:latest</c> or no tag, else IfNotPresent.</summary>
    public string DefaultPullPolicy => Digest == null && (Tag == null || Tag == "latest") ? "Always" : "IfNotPresent";

    public override string ToString() => Repository + (Tag != null ? ":" + Tag : "") + (Digest != null ? "@" + Digest : "");

    public static ImageReference Parse(string image)
    {
        string? digest = null;
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }

        // A colon after the last slash is a tag; one before it is a registry port.
        string? tag = null;
        var colon = image.LastIndexOf(':');
        if (colon > image.LastIndexOf('/'))
        {
            tag = image[(colon + 1)..];
            image = image[..colon];
        }

        return new ImageReference(image, tag, digest);
    }
}
