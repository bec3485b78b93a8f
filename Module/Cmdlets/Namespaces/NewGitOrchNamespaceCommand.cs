using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;

namespace GitOrch.Module.Cmdlets.Namespaces;

/// <summary>New-GitOrchNamespace: creates a Namespace through the API.</summary>
[Cmdlet(VerbsCommon.New, "GitOrchNamespace", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(NamespaceInfo))]
public sealed class NewGitOrchNamespaceCommand : GitOrchCmdlet
{
    /// <summary>Name of the new Namespace (a DNS label: lower case letters, digits and '-').</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = System.Array.Empty<string>();

    /// <summary>Labels of the Namespace, e.g. @{ team = 'shop' }.</summary>
    [Parameter]
    public Hashtable? Label { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        foreach (var name in Name)
        {
            ErrorTarget = name;
            if (!ShouldProcess("Namespace " + name, "Create"))
            {
                continue;
            }

            var labels = new Dictionary<string, string>();
            foreach (DictionaryEntry kv in Label ?? new Hashtable())
            {
                labels[kv.Key.ToString() ?? ""] = System.Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? "";
            }

            var ns = new Namespace
            {
                ApiVersion = ResourceKinds.Namespace.ApiVersion,
                Kind = ResourceKinds.Namespace.Kind,
                Metadata = new ObjectMeta { Name = name, Labels = labels.Count == 0 ? null : labels },
            };
            WriteObject(new NamespaceInfo(await Client.CreateAsync(ns, CancellationToken)));
        }
    }
}
