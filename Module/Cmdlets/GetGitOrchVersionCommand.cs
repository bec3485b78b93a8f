using System.Management.Automation;

namespace GitOrch.Module.Cmdlets;

/// <summary>Placeholder so the module assembly is not empty until the cmdlet set lands (issue "PowerShell module").</summary>
internal static class ModuleInfo
{
    public const string Noun = "GitOrch";
}
