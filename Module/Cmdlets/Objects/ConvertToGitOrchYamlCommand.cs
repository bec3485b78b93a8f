using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Module.Git;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Objects;

/// <summary>
/// ConvertTo-GitOrchYaml: Kubernetes' own wire form of GitOrch objects, as YAML (default) or as the API's JSON
/// (-AsKubernetesJson), instead of the .NET model's PascalCase that ConvertTo-Json gives.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "GitOrchYaml", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(string))]
public sealed class ConvertToGitOrchYamlCommand : GitOrchCmdlet
{
    /// <summary>A GitOrch result (Get-Pod, Get-Deployment, Get-GitOrchObject, ...) or an API object from its Object property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Output the API's JSON (camelCase, as kubectl get -o json shows it) instead of YAML.</summary>
    [Parameter]
    public SwitchParameter AsKubernetesJson { get; set; }

    /// <summary>Only what belongs in a manifest: no status and no server-set metadata (uid, resourceVersion, ...), ready to commit to Git.</summary>
    [Parameter]
    public SwitchParameter Manifest { get; set; }

    protected override Task ProcessRecordAsync()
    {
        var obj = InputObject?.BaseObject switch
        {
            IGitOrchResource r => r.KubeObject,
            KubeObject k => k,
            _ => null,
        };
        if (obj == null)
        {
            throw Terminate(GitOrchErrors.Create(GitOrchErrors.InvalidArgument, ErrorCategory.InvalidType, InputObject,
                $"ConvertTo-GitOrchYaml takes GitOrch objects (the output of Get-Pod, Get-Deployment, Get-GitOrchObject, ...), not {InputObject?.BaseObject?.GetType().Name ?? "null"}."));
        }

        if (Manifest)
        {
            WriteObject(AsKubernetesJson ? Indent(ManifestWriter.ToJson(obj, null)) : ManifestWriter.ToYaml(obj, null));
            return Task.CompletedTask;
        }

        KubeJson.WithTypeMeta(obj);
        var json = KubeJson.Serialize(obj, obj.GetType());
        using var doc = JsonDocument.Parse(json);
        WriteObject(AsKubernetesJson ? Indent(json) : YamlWriter.Write(doc.RootElement));
        return Task.CompletedTask;
    }

    private static string Indent(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true });
    }
}
