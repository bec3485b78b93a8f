namespace GitOrch.Module.Infrastructure;

/// <summary>Where Get-Help -Online sends people: the module's section of the project's README.</summary>
internal static class HelpLinks
{
    public const string Cmdlets = "https://github.com/gitorch/gitorch/blob/main/Module/README.md#cmdlets";
}
