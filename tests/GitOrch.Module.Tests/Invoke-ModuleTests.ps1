<#
.SYNOPSIS
    Runs the module's Pester 5 tests in this pwsh against one real Engine with its agent (started here, stopped at
    the end), and prints "Pester: N passed, N failed" for scripts/test.sh's closing line.
.PARAMETER Path
    Test files or folders to run (default: every *.Tests.ps1 next to this script).
.OUTPUTS
    Exit code 0 when every test passed, 1 otherwise.
#>
param([string[]] $Path = @($PSScriptRoot))

$ErrorActionPreference = 'Stop'
Import-Module Pester -RequiredVersion 5.7.1
Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force

$engine = Start-TestEngine
$env:GITORCH_TEST_SERVER = $engine.Server
$env:GITORCH_TEST_TOKEN_FILE = $engine.TokenFile
try {
    $config = New-PesterConfiguration
    $config.Run.Path = $Path
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
} finally {
    Remove-Item Env:GITORCH_TEST_SERVER, Env:GITORCH_TEST_TOKEN_FILE -ErrorAction SilentlyContinue
    Stop-TestEngine $engine
}

if ($null -eq $result) {
    # Invoke-Pester itself failed (a path that does not exist, ...): count it as one failure.
    'Pester: 0 passed, 1 failed'
    exit 1
}
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
"Pester: $($result.PassedCount) passed, $failed failed"
exit ([int]($failed -gt 0 -or $result.Result -ne 'Passed'))
