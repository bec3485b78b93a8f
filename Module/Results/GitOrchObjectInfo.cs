using GitOrch.Api.Model;

namespace GitOrch.Module.Results;

/// <summary>Any object from Get-GitOrchObject: KIND NAMESPACE NAME AGE, with the typed object in <c>Object</c>.</summary>
public sealed class GitOrchObjectInfo : ResourceInfo<KubeObject>
{
    public GitOrchObjectInfo(KubeObject obj)
        : base(obj)
    {
        Kind = obj.Kind ?? ResourceKinds.Of(obj).Kind;
        ApiVersion = obj.ApiVersion ?? ResourceKinds.Of(obj).ApiVersion;
    }

    public string Kind { get; }

    public string ApiVersion { get; }
}
