# Installable by name: the build's artifacts/GitOrch/ folder publishes to a PSResourceGet file repository and
# installs from it, so `Import-Module GitOrch` works in a pwsh that never saw the repository checkout.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    $script:folder = Join-Path $RepoRoot 'artifacts/GitOrch'
    # A clean pwsh: its own HOME (PSResourceGet installs CurrentUser modules under ~/.local/share/powershell on
    # Linux whatever XDG_DATA_HOME says), so the repository registration, the installed module and PSResourceGet's
    # settings never touch the caller's.
    $script:sandbox = Join-Path ([System.IO.Path]::GetTempPath()) ('gitorch-psresource-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    # .NET reports a special folder that does not exist as '', and NuGet then writes into the current directory.
    New-Item -ItemType Directory -Path (Join-Path $sandbox 'repo'), (Join-Path $sandbox 'home/.local/share'), (Join-Path $sandbox 'home/.config') | Out-Null
    function script:Invoke-CleanPwsh([string] $Script) {
        $saved = $env:HOME, $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME, $env:PSModulePath
        $pwsh = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
        try {
            $env:HOME = Join-Path $sandbox 'home'
            $env:XDG_DATA_HOME = Join-Path $env:HOME '.local/share'
            $env:XDG_CONFIG_HOME = Join-Path $env:HOME '.config'
            $env:PSModulePath = $null
            $out = & $pwsh -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script" 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out | Out-String) }
        } finally {
            $env:HOME, $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME, $env:PSModulePath = $saved
        }
    }
}

AfterAll { Remove-Item -Recurse -Force $sandbox -ErrorAction SilentlyContinue }

Describe 'artifacts/GitOrch' {
    It 'is a standard module folder: manifest, assemblies, views and help' {
        foreach ($f in 'GitOrch.psd1', 'GitOrch.Module.dll', 'GitOrch.Api.dll', 'GitOrch.Format.ps1xml', 'en-US/GitOrch.Module.dll-Help.xml', 'en-US/about_GitOrch.help.txt') {
            Join-Path $folder $f | Should -Exist
        }
        $manifest = Test-ModuleManifest (Join-Path $folder 'GitOrch.psd1')
        $manifest.Version | Should -Be (Import-PowerShellDataFile (Join-Path $RepoRoot 'GitOrch.psd1')).ModuleVersion
    }

    It 'publishes to a local repository, installs by name and imports by name in a clean pwsh' {
        $repo = Join-Path $sandbox 'repo'
        $r = Invoke-CleanPwsh "Register-PSResourceRepository -Name GitOrchLocal -Uri '$repo' -Trusted; Publish-PSResource -Path '$folder' -Repository GitOrchLocal; Install-PSResource GitOrch -Repository GitOrchLocal -TrustRepository -Scope CurrentUser -Quiet"
        $r.ExitCode | Should -Be 0 -Because $r.Output
        Get-ChildItem $repo -Filter 'gitorch.*.nupkg' | Should -Not -BeNullOrEmpty

        $r = Invoke-CleanPwsh "Import-Module GitOrch; `$m = Get-Module GitOrch; `$m.ModuleBase; (Get-Command Get-Pod).Source; (Get-Help Get-Pod).Synopsis"
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match ([regex]::Escape((Join-Path $sandbox 'home')))
        $r.Output | Should -Match 'GitOrch'
        $r.Output | Should -Match 'Gets Pods'
    }
}

Describe 'The repository-root GitOrch.psd1' {
    It 'still imports for contributors' {
        $r = pwsh -NoProfile -NonInteractive -Command "Import-Module '$(Join-Path $RepoRoot 'GitOrch.psd1')'; (Get-Command -Module GitOrch).Count" 2>&1
        $LASTEXITCODE | Should -Be 0
        [int]($r | Select-Object -Last 1) | Should -BeGreaterThan 30
    }
}
