# The README's walkthrough, started exactly as the README prints it: `pwsh ./examples/pull-request-flow.ps1`
# from the repository root in a fresh pwsh (the script imports the module itself), against a real Engine.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
    $script:engine = Use-TestEngine   # saves the connection in $env:GITORCH_CONFIG, which the child pwsh inherits
}

AfterAll { if ($engine.Owned) { Stop-TestEngine $engine } }

Describe 'examples/pull-request-flow.ps1' {
    It 'runs through in a fresh pwsh started as the README prints it' {
        $readme = Get-Content (Join-Path $RepoRoot 'README.md') -Raw
        $readme | Should -Match ([regex]::Escape('pwsh ./examples/pull-request-flow.ps1'))
        Push-Location $RepoRoot
        try {
            $pwsh = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
            $out = & $pwsh ./examples/pull-request-flow.ps1 2>&1
            $code = $LASTEXITCODE
        } finally { Pop-Location }
        $text = $out | Out-String
        $code | Should -Be 0 -Because $text
        $text | Should -Not -Match 'is not recognized'
    }
}
