# Shared helpers of the module's Pester tests: one real Engine with its embedded agent (gitorch server
# --with-agent) on a free loopback port (HTTPS with the engine's own CA) and a temp data directory, and a deadline-based wait.
#
# Invoke-ModuleTests.ps1 starts one Engine for the whole run and passes it to the test files through
# $env:GITORCH_TEST_SERVER / $env:GITORCH_TEST_TOKEN_FILE; a test file run on its own (Invoke-Pester ./X.Tests.ps1)
# starts its own through Use-TestEngine and stops it in AfterAll.

$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Wait-Until {
    <# Polls $Condition until it returns something true, or throws naming $What and the last value seen. #>
    param([Parameter(Mandatory)][scriptblock] $Condition, [string] $What = 'the condition', [int] $TimeoutSeconds = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $last = $null
    while ([DateTime]::UtcNow -lt $deadline) {
        try { $last = & $Condition } catch { $last = $_ }
        if ($last -and $last -isnot [System.Management.Automation.ErrorRecord]) { return $last }
        Start-Sleep -Milliseconds 250
    }
    throw "timed out after ${TimeoutSeconds}s waiting for $What (last seen: $last)"
}

function Start-TestEngine {
    <# Starts gitorch server --with-agent; returns @{ Server; TokenFile; CaFile; Kubeconfig; DataDir; Process; NodeName }. #>
    $exe = Join-Path $RepoRoot 'Engine/bin/Release/net10.0/gitorch'
    if (-not (Test-Path $exe)) { throw "build first: dotnet build GitOrch.sln -c Release ($exe is missing)" }
    $data = Join-Path ([System.IO.Path]::GetTempPath()) ("gitorch-pester-" + [guid]::NewGuid().ToString('n').Substring(0, 8))
    New-Item -ItemType Directory -Path $data | Out-Null
    $listen = "127.0.0.1:$(Get-FreePort)"
    # Its own node name: agents own the containers labelled with their node, so this engine never adopts or
    # removes another test run's containers.
    $node = 'pester-' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    $process = Start-Process -FilePath $exe -PassThru `
        -ArgumentList @('server', '--data-dir', $data, '--listen', $listen, '--with-agent', '--node-name', $node, '--log-level', 'Warning') `
        -RedirectStandardOutput (Join-Path $data 'engine.out.log') -RedirectStandardError (Join-Path $data 'engine.err.log')
    $server = "https://$listen"
    $kubeconfig = Join-Path $data 'kubeconfig.yaml'
    # The engine writes kubeconfig.yaml once it listens. /readyz is anonymous (no token goes out), so this probe
    # alone may skip the certificate check; every cmdlet verifies the engine against ca.crt.
    $null = Wait-Until -What "the engine on $server to be ready" -TimeoutSeconds 60 -Condition {
        if ($process.HasExited) { throw "the engine exited: $(Get-Content (Join-Path $data 'engine.err.log') -Raw)" }
        try { (Test-Path $kubeconfig) -and (Invoke-WebRequest "$server/readyz" -SkipCertificateCheck -SkipHttpErrorCheck -TimeoutSec 2).StatusCode -eq 200 } catch { $false }
    }
    @{ Server = $server; TokenFile = (Join-Path $data 'admin.token'); CaFile = (Join-Path $data 'ca.crt'); Kubeconfig = $kubeconfig
       DataDir = $data; Process = $process; NodeName = $node }
}

function Stop-TestEngine {
    param([Parameter(Mandatory)][hashtable] $Engine)
    if (-not $Engine.Process.HasExited) {
        $Engine.Process.Kill($true)
        $Engine.Process.WaitForExit(20000) | Out-Null
    }
    # The containers its agent started (labelled with its node name) go with it.
    $ids = @(docker ps -aq --filter "label=gitorch.io/node=$($Engine.NodeName)" 2>$null)
    if ($ids.Count -gt 0) { docker rm -f @ids 2>&1 | Out-Null }
    Remove-Item -Recurse -Force $Engine.DataDir -ErrorAction SilentlyContinue
}

function Use-TestEngine {
    <#
    Connects this session to the run's shared Engine, or starts one for this file. Returns the engine hashtable
    with Owned = $true when the caller must Stop-TestEngine it. Uses a temp GITORCH_CONFIG so the user's own
    saved context is never touched.
    #>
    $env:GITORCH_CONFIG = Join-Path ([System.IO.Path]::GetTempPath()) ("gitorch-pester-config-" + [guid]::NewGuid().ToString('n') + '.json')
    if ($env:GITORCH_TEST_SERVER) {
        $data = Split-Path $env:GITORCH_TEST_TOKEN_FILE
        $engine = @{ Server = $env:GITORCH_TEST_SERVER; TokenFile = $env:GITORCH_TEST_TOKEN_FILE; Owned = $false
                     CaFile = (Join-Path $data 'ca.crt'); Kubeconfig = (Join-Path $data 'kubeconfig.yaml'); DataDir = $data }
    } else {
        $engine = Start-TestEngine
        $engine.Owned = $true
    }
    Connect-GitOrch -Server $engine.Server -TokenFile $engine.TokenFile -CertificateAuthority $engine.CaFile | Out-Null
    $engine
}

function Import-GitOrchForTest {
    # -Global: imported from inside this module, it would otherwise land in this module's scope only.
    if (-not (Get-Module GitOrch)) { Import-Module (Join-Path $RepoRoot 'GitOrch.psd1') -Global }
}

Export-ModuleMember -Function Get-FreePort, Wait-Until, Start-TestEngine, Stop-TestEngine, Use-TestEngine, Import-GitOrchForTest -Variable RepoRoot
