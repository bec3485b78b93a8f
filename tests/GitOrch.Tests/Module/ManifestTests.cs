using GitOrch.Tests.Infrastructure.Module;
using Xunit;
using System.Collections;
using System.Management.Automation;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace GitOrch.Tests.Module;

[Collection(ModuleCollection.Name)]
public sealed class ManifestTests : IDisposable
{
    private readonly PowerShellSession _ps = new();

    public void Dispose() => _ps.Dispose();

    [Fact]
    public void Test_ModuleManifest_accepts_the_manifest_with_the_required_keys()
    {
        var result = _ps.Run("Test-ModuleManifest -Path ([System.IO.Path]::Combine($root, 'GitOrch.psd1')) -ErrorAction Stop", new Hashtable { ["root"] = PowerShellSession.RepoRoot }).ThrowOnError();
        var info = (PSModuleInfo)result.Output.Single().BaseObject;
        Assert.Equal("GitOrch", info.Name);
        Assert.Equal(new Version(0, 1, 0), info.Version);
        Assert.Equal(new Version(7, 4), info.PowerShellVersion);
        Assert.Equal(new[] { "Core" }, info.CompatiblePSEditions);
        Assert.False(string.IsNullOrWhiteSpace(info.Description));
        Assert.NotNull(info.ProjectUri);
        Assert.Empty(info.ExportedFunctions);
        Assert.Empty(info.ExportedAliases);
        Assert.Empty(info.ExportedVariables);
    }

    [Fact]
    public void Import_exports_exactly_the_cmdlets_the_manifest_lists()
    {
        var manifest = (PSModuleInfo)_ps.Run("Test-ModuleManifest -Path ([System.IO.Path]::Combine($root, 'GitOrch.psd1'))", new Hashtable { ["root"] = PowerShellSession.RepoRoot }).ThrowOnError().Output.Single().BaseObject;
        var listed = manifest.ExportedCmdlets.Keys.OrderBy(s => s).ToList();
        Assert.Equal(ContractTests.AllCmdlets.OrderBy(s => s), listed);

        var exported = _ps.Module.ExportedCmdlets.Keys.OrderBy(s => s).ToList();
        Assert.Equal(listed, exported);
    }

    [Fact]
    public void The_module_ships_only_its_own_assemblies_and_YamlDotNet_so_it_loads_next_to_other_modules()
    {
        // YamlDotNet reads kubeconfig files (Connect-GitOrch -Kubeconfig); PowerShell itself does not carry it.
        var dir = Path.Combine(PowerShellSession.RepoRoot, "artifacts", "module");
        var dlls = Directory.GetFiles(dir, "*.dll").Select(Path.GetFileName).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "GitOrch.Api.dll", "GitOrch.Module.dll", "YamlDotNet.dll" }, dlls);

        // GitOrch.Api is compiled against the System.Text.Json PowerShell 7.4 carries (8.0.x), never a newer one.
        using var pe = new PEReader(File.OpenRead(Path.Combine(dir, "GitOrch.Api.dll")));
        var md = pe.GetMetadataReader();
        var stj = md.AssemblyReferences.Select(md.GetAssemblyReference).Single(r => md.GetString(r.Name) == "System.Text.Json");
        Assert.Equal(8, stj.Version.Major);
    }

    [Fact]
    public void Every_result_type_has_a_view_and_the_pod_and_deployment_views_have_kubectl_columns()
    {
        var format = XDocument.Load(Path.Combine(PowerShellSession.RepoRoot, "artifacts", "module", "GitOrch.Format.ps1xml"));
        var views = format.Descendants("View").ToDictionary(
            v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value,
            v => v.Descendants("TableColumnHeader").Select(h => h.Element("Label")!.Value).ToList());

        var resultTypes = _ps.Module.ImplementingAssembly.GetTypes()
            .Where(t => t.Namespace == "GitOrch.Module.Results" && t.IsPublic && !t.IsAbstract)
            .Select(t => t.FullName!)
            .ToList();
        Assert.NotEmpty(resultTypes);
        Assert.All(resultTypes, t => Assert.True(views.ContainsKey(t), "no view for " + t));
        Assert.Equal(new[] { "NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE" }, views["GitOrch.Module.Results.PodInfo"]);
        Assert.Equal(new[] { "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE" }, views["GitOrch.Module.Results.DeploymentInfo"]);
    }
}
