using GitOrch.Tests.Infrastructure.Module;
using Xunit;
using System.Collections;
using System.Management.Automation;

namespace GitOrch.Tests.Module;

/// <summary>The parameter contract of every cmdlet, read through Get-Command as a user's tab completion sees it.</summary>
[Collection(ModuleCollection.Name)]
public sealed class ContractTests : IDisposable
{
    public static readonly string[] AllCmdlets =
    {
        "Connect-GitOrch", "Disconnect-GitOrch", "Get-GitOrchContext", "Start-GitOrch", "Stop-GitOrch",
        "Set-GitOrchSource", "Get-GitOrchSource", "Remove-GitOrchSource", "Sync-GitOrchSource", "Suspend-GitOrchSource",
        "Resume-GitOrchSource", "Compare-GitOrchSource", "Get-GitOrchPreview", "Wait-GitOrchSource",
        "Get-Pod", "Remove-Pod", "Get-PodLog", "Get-PodMetric", "Get-NodeMetric",
        "Get-Deployment", "New-Deployment", "Set-Deployment", "Remove-Deployment", "Undo-Deployment", "Get-DeploymentRevision", "Wait-Deployment",
        "Get-DaemonSet", "Get-StatefulSet", "Get-GitOrchJob", "Get-CronJob", "Start-CronJob",
        "Get-Node", "Get-GitOrchService", "Get-GitOrchEvent", "Get-GitOrchObject",
        "Get-GitOrchNamespace", "New-GitOrchNamespace", "Remove-GitOrchNamespace", "ConvertTo-GitOrchYaml",
    };

    /// <summary>Cmdlets that change something: -WhatIf/-Confirm, and -PassThru (New-Deployment, New-GitOrchNamespace and Connect-GitOrch always output what they made).</summary>
    public static readonly string[] Changes =
    {
        "Connect-GitOrch", "Disconnect-GitOrch", "Start-GitOrch", "Stop-GitOrch",
        "Set-GitOrchSource", "Remove-GitOrchSource", "Sync-GitOrchSource", "Suspend-GitOrchSource", "Resume-GitOrchSource",
        "Remove-Pod", "New-Deployment", "Set-Deployment", "Remove-Deployment", "Undo-Deployment", "Start-CronJob",
        "New-GitOrchNamespace", "Remove-GitOrchNamespace",
    };

    /// <summary>Cmdlets whose -Name takes wildcards (lists and actions on existing objects).</summary>
    public static readonly string[] WildcardNames =
    {
        "Get-GitOrchSource", "Remove-GitOrchSource", "Sync-GitOrchSource", "Suspend-GitOrchSource", "Resume-GitOrchSource", "Wait-GitOrchSource",
        "Get-Pod", "Remove-Pod", "Get-Deployment", "Set-Deployment", "Remove-Deployment", "Undo-Deployment", "Get-DeploymentRevision", "Wait-Deployment",
        "Get-DaemonSet", "Get-StatefulSet", "Get-GitOrchJob", "Get-CronJob", "Start-CronJob", "Get-Node", "Get-GitOrchService", "Get-GitOrchEvent", "Get-GitOrchObject",
        "Get-GitOrchNamespace", "Remove-GitOrchNamespace",
    };

    private readonly PowerShellSession _ps = new();

    public static IEnumerable<object[]> Cmdlets => AllCmdlets.Select(c => new object[] { c });

    public void Dispose() => _ps.Dispose();

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_cmdlet_follows_the_module_conventions(string name)
    {
        var cmd = Command(name);
        Assert.Equal("GitOrch", cmd.ModuleName);
        Assert.NotEmpty(cmd.OutputType);
        Assert.Contains(cmd.Verb, Verbs());

        if (Changes.Contains(name))
        {
            Assert.Contains("WhatIf", cmd.Parameters.Keys);
            Assert.Contains("Confirm", cmd.Parameters.Keys);
            if (name is not "New-Deployment" and not "New-GitOrchNamespace" and not "Connect-GitOrch")
            {
                Assert.Contains("PassThru", cmd.Parameters.Keys);
            }
        }
        else
        {
            Assert.DoesNotContain("WhatIf", cmd.Parameters.Keys);
        }

        if (cmd.Parameters.TryGetValue("Name", out var nameParam) && WildcardNames.Contains(name))
        {
            Assert.Contains(nameParam.Attributes, a => a is SupportsWildcardsAttribute);
            Assert.Contains(nameParam.Attributes, a => a is ParameterAttribute p && p.ValueFromPipelineByPropertyName);
            Assert.Contains(nameParam.Attributes, a => a is ArgumentCompleterAttribute);
        }

        if (cmd.Parameters.TryGetValue("Namespace", out var nsParam) && name != "Connect-GitOrch")
        {
            Assert.Contains(nsParam.Attributes, a => a is ParameterAttribute p && p.ValueFromPipelineByPropertyName);
            Assert.Contains(nsParam.Attributes, a => a is ArgumentCompleterAttribute);
        }
    }

    [Theory]
    [InlineData("Get-Pod", "Name Namespace AllNamespaces Selector Node")]
    [InlineData("Get-PodLog", "Name Namespace Follow Tail Container Previous")]
    [InlineData("New-Deployment", "Name Image Replicas Port Env Namespace Direct Source Branch")]
    [InlineData("Set-Deployment", "Name Namespace Image Replicas Direct PassThru")]
    [InlineData("Undo-Deployment", "Name Namespace ToRevision Direct PassThru")]
    [InlineData("Wait-Deployment", "Name Namespace Timeout PassThru")]
    [InlineData("Sync-GitOrchSource", "Name Namespace Wait Timeout PassThru")]
    [InlineData("Wait-GitOrchSource", "Name Namespace Timeout PollInterval PassThru")]
    [InlineData("Compare-GitOrchSource", "Name Namespace Ref")]
    [InlineData("Set-GitOrchSource", "Name Namespace Url Branch Tag Path Interval Credential Prune EnablePreviews WebhookSecret PassThru")]
    [InlineData("Start-GitOrch", "DataPath Listen NoAgent PassThru")]
    [InlineData("Connect-GitOrch", "Server Token TokenFile Namespace Force")]
    [InlineData("Get-GitOrchEvent", "Namespace InvolvedObject")]
    [InlineData("Get-GitOrchObject", "Kind Name Namespace AllNamespaces Selector")]
    [InlineData("Start-CronJob", "Name Namespace JobName PassThru")]
    public void Cmdlet_has_the_parameters_the_issue_names(string name, string parameters)
    {
        var cmd = Command(name);
        foreach (var p in parameters.Split(' '))
        {
            Assert.True(cmd.Parameters.ContainsKey(p), $"{name} lacks -{p}");
        }
    }

    [Theory]
    [InlineData("New-Deployment", "Name")]
    [InlineData("New-Deployment", "Image")]
    [InlineData("Get-GitOrchObject", "Kind")]
    [InlineData("Remove-Pod", "Name")]
    [InlineData("Get-PodLog", "Name")]
    [InlineData("Compare-GitOrchSource", "Name")]
    public void Required_parameters_are_mandatory(string name, string parameter)
    {
        var p = Command(name).Parameters[parameter];
        Assert.Contains(p.Attributes, a => a is ParameterAttribute pa && pa.Mandatory);
    }

    [Fact]
    public void Results_of_Get_bind_to_the_next_cmdlet_by_property_name()
    {
        // Get-Pod -Selector app=web | Remove-Pod and Get-Deployment web | Undo-Deployment rely on Name/Namespace binding.
        foreach (var (producer, consumer) in new[] { ("GitOrch.Module.Results.PodInfo", "Remove-Pod"), ("GitOrch.Module.Results.DeploymentInfo", "Undo-Deployment") })
        {
            var type = _ps.Module.ImplementingAssembly.GetType(producer)!;
            Assert.NotNull(type.GetProperty("Name"));
            Assert.NotNull(type.GetProperty("Namespace"));
            var cmd = Command(consumer);
            Assert.Contains(cmd.Parameters["Name"].Attributes, a => a is ParameterAttribute p && p.ValueFromPipelineByPropertyName);
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Get_Help_Examples_shows_at_least_one_example(string name)
    {
        var result = _ps.Run("$h = Get-Help $name -Examples; @($h.examples.example | Where-Object { $_.code }).Count; $h.Synopsis", new Hashtable { ["name"] = name }).ThrowOnError();
        Assert.True((int)result.Output[0].BaseObject >= 1, name + " has no example");
        var synopsis = result.Output[1].BaseObject.ToString()!;
        Assert.DoesNotContain(name + " ", synopsis); // PowerShell's stand-in synopsis is the syntax line; ours is a sentence.
        Assert.EndsWith(".", synopsis.Trim());
    }

    private CmdletInfo Command(string name)
        => (CmdletInfo)_ps.Run("Get-Command -Name $name -Module GitOrch -ErrorAction Stop", new Hashtable { ["name"] = name }).ThrowOnError().Output.Single().BaseObject;

    /// <summary>The approved verbs: the constants of PowerShell's Verbs* classes (what Get-Verb lists).</summary>
    private static List<string> Verbs()
        => new[] { typeof(VerbsCommon), typeof(VerbsData), typeof(VerbsLifecycle), typeof(VerbsDiagnostic), typeof(VerbsCommunications), typeof(VerbsSecurity), typeof(VerbsOther) }
            .SelectMany(t => t.GetFields()).Select(f => (string)f.GetValue(null)!).ToList();
}
