using System.IO;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using GitOrch.Api.Client;
using GitOrch.Api.Model;
using GitOrch.Module.Infrastructure;

namespace GitOrch.Module.Cmdlets.Pods;

/// <summary>Get-PodLog: a container's output, one string per line; -Follow streams until Ctrl+C or the container ends.</summary>
[Cmdlet(VerbsCommon.Get, "PodLog", HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(string))]
public sealed class GetPodLogCommand : GitOrchCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(GitOrchCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The container; needed when the Pod has more than one.</summary>
    [Parameter]
    [Alias("c")]
    [ValidateNotNullOrEmpty]
    public string? Container { get; set; }

    /// <summary>Keep streaming new lines until Ctrl+C.</summary>
    [Parameter]
    [Alias("f")]
    public SwitchParameter Follow { get; set; }

    /// <summary>Only the last N lines.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>The log of the previous (crashed) instance of the container.</summary>
    [Parameter]
    [Alias("p")]
    public SwitchParameter Previous { get; set; }

    protected override async Task ProcessRecordAsync()
    {
        var ns = NamespaceOrDefault(Namespace);
        ErrorTarget = Name;
        var options = new PodLogOptions { Container = Container, Follow = Follow, Previous = Previous, TailLines = Tail };
        var stream = await ForObjectAsync(ResourceKinds.Pod, Name, ns, () => Client.OpenPodLogAsync(ns, Name, options, CancellationToken));
        if (stream == null)
        {
            return;
        }

        // netstandard2.0 reads take no token: closing the stream is what ends a pending read on Ctrl+C.
        using (stream)
        using (CancellationToken.Register(stream.Dispose))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync();
                }
                catch (System.Exception) when (CancellationToken.IsCancellationRequested)
                {
                    throw new System.OperationCanceledException(CancellationToken);
                }

                if (line == null)
                {
                    return;
                }

                WriteObject(line);
            }
        }
    }
}
