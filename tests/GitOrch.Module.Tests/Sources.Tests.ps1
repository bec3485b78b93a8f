# GitSources from the pipeline: Sync-GitOrchSource -PassThru | Wait-GitOrchSource waits for the fetched commit to be
# applied, and a refused commit ends the wait at once naming file:line, against a real Engine and a real Git repository.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
    $script:engine = Use-TestEngine
    $script:ns = 'src-' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    New-GitOrchNamespace $ns | Out-Null

    $script:root = Join-Path ([System.IO.Path]::GetTempPath()) ('gitorch-pester-src-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
    $script:bare = Join-Path $root 'server.git'
    $script:clone = Join-Path $root 'clone'
    New-Item -ItemType Directory (Join-Path $clone 'deploy') -Force | Out-Null
    function script:Invoke-TestGit { $out = & git -C $clone @args 2>&1; if ($LASTEXITCODE) { throw "git $args failed: $out" }; $out }
    & git init -q --bare -b main $bare
    Invoke-TestGit init -q -b main
    Invoke-TestGit remote add origin $bare
    function script:Commit([string] $File, [string] $Text) {
        Set-Content -Path (Join-Path $clone $File) -Value $Text
        Invoke-TestGit add -A | Out-Null
        Invoke-TestGit -c user.name=Pester -c user.email=pester@gitorch.invalid commit -q -m "change $File" | Out-Null
        Invoke-TestGit push -q origin main | Out-Null
        (Invoke-TestGit rev-parse HEAD | Select-Object -Last 1).Trim()
    }
    $script:first = Commit 'deploy/settings.yaml' "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: settings`ndata:`n  mode: one`n"
    # A long interval: only Sync-GitOrchSource makes the source fetch again.
    Set-GitOrchSource app -Namespace $ns -Url ([Uri]::new($bare).AbsoluteUri) -Branch main -Path deploy -Interval 01:00:00 | Out-Null
}

AfterAll {
    Remove-GitOrchSource app -Namespace $ns -Force -ErrorAction SilentlyContinue
    Remove-GitOrchNamespace $ns -Force -ErrorAction SilentlyContinue
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
    if ($engine.Owned) { Stop-TestEngine $engine }
}

Describe 'Wait-GitOrchSource' {
    It 'Get-GitOrchSource | Sync-GitOrchSource -PassThru | Wait-GitOrchSource returns once the new commit is applied' {
        $second = Commit 'deploy/settings.yaml' "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: settings`ndata:`n  mode: two`n"
        $source = Get-GitOrchSource app -Namespace $ns | Sync-GitOrchSource -PassThru | Wait-GitOrchSource -Timeout 00:01:00 -PassThru
        $source.Ready | Should -Be 'True'
        $source.LastAppliedCommit | Should -Be $second
        (Get-GitOrchObject -Kind ConfigMap settings -Namespace $ns).Object.Data['mode'] | Should -Be 'two'
    }

    It 'stops at once with SyncFailed naming the refused commit and file:line' {
        $bad = Commit 'deploy/broken.yaml' "apiVersion: v1`nkind: ConfigMap`nmetadata: {}`n"
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $err = $null
        try {
            Get-GitOrchSource app -Namespace $ns | Sync-GitOrchSource -PassThru | Wait-GitOrchSource -Timeout 00:02:00 -ErrorAction Stop | Out-Null
        } catch { $err = $_ }
        $watch.Stop()
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'SyncFailed,GitOrch.Module.Cmdlets.Sources.WaitGitOrchSourceCommand'
        "$err" | Should -Match ([regex]::Escape($bad.Substring(0, 7)))
        "$err" | Should -Match 'broken\.yaml:\d+'
        $err.TargetObject.Name | Should -Be 'app'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
    }

    It 'Sync-GitOrchSource -Wait reports the Ready condition as progress and fails the same way' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($Manifest, $Namespace)
                Import-Module $Manifest
                Sync-GitOrchSource app -Namespace $Namespace -Wait -Timeout 00:01:00
            }).AddArgument((Join-Path $RepoRoot 'GitOrch.psd1')).AddArgument($ns)
            $out = $ps.Invoke()
            $errors = @($ps.Streams.Error)
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'SyncFailed,GitOrch.Module.Cmdlets.Sources.SyncGitOrchSourceCommand'
            "$($errors[0])" | Should -Match 'broken\.yaml:\d+'
            @($ps.Streams.Progress | Where-Object { $_.StatusDescription -match 'Ready' }).Count | Should -BeGreaterThan 0
            $out[0].Ready | Should -Be 'False'
        } finally { $ps.Dispose() }
    }
}

Describe 'Set-Deployment and Undo-Deployment -Verbose say where the change went' {
    BeforeAll {
        # Replicas 0: the Deployments only need their objects and revisions, no containers.
        $deployment = "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: managed`nspec:`n  replicas: 0`n  selector:`n    matchLabels:`n      app: managed`n  template:`n    metadata:`n      labels:`n        app: managed`n    spec:`n      containers:`n        - name: main`n          image: gitorch-test/busybox:latest`n"
        Remove-Item (Join-Path $clone 'deploy/broken.yaml')
        $null = Commit 'deploy/managed.yaml' $deployment
        Sync-GitOrchSource app -Namespace $ns -Wait -Timeout 00:01:00 | Out-Null
        New-Deployment direct -Namespace $ns -Image gitorch-test/busybox:latest -Replicas 0 -Direct | Out-Null
    }

    It 'Set-Deployment on a Deployment the source manages: through Git' {
        $verbose = Set-Deployment managed -Namespace $ns -Image gitorch-test/busybox:v2 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match "Through Git: GitSource $ns/app"
        ($verbose.Message -join "`n") | Should -Match 'managed\.yaml'
    }

    It 'Set-Deployment -Direct: through the API' {
        $verbose = Set-Deployment direct -Namespace $ns -Image gitorch-test/busybox:v2 -Direct -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'Through the API \(-Direct\)'
    }

    It 'Undo-Deployment on a managed Deployment: through Git (the revert)' {
        $verbose = Undo-Deployment managed -Namespace $ns -Branch revert-test -Verbose -Confirm:$false 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match "Through Git: GitSource $ns/app .* is reverted on branch revert-test"
    }

    It 'Undo-Deployment -Direct: through the API' {
        $null = Wait-Until -What 'a second revision of direct' -TimeoutSeconds 30 { @(Get-DeploymentRevision direct -Namespace $ns).Count -ge 2 }
        $verbose = Undo-Deployment direct -Namespace $ns -Direct -Verbose -Confirm:$false 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'Through the API \(-Direct\)'
    }
}

Describe '-AsJob on the long waits' {
    It '<Command> -AsJob returns a job that the built-in Get-Job lists and Receive-Job -Wait completes' -ForEach @(
        @{ Command = 'Wait-Deployment'; Parameters = @{ Name = 'direct'; PassThru = $true }; Type = 'GitOrch.Module.Results.DeploymentInfo' }
        @{ Command = 'Wait-GitOrchSource'; Parameters = @{ Name = 'app'; PassThru = $true }; Type = 'GitOrch.Module.Results.GitSourceInfo' }
        @{ Command = 'Sync-GitOrchSource'; Parameters = @{ Name = 'app'; Wait = $true }; Type = 'GitOrch.Module.Results.GitSourceInfo' }
    ) {
        $job = & $Command @Parameters -Namespace $ns -Timeout 00:01:00 -AsJob
        $job | Should -BeOfType ([System.Management.Automation.Job])
        (Get-Job -Id $job.Id).InstanceId | Should -Be $job.InstanceId
        (Get-Command Get-Job).Source | Should -Not -Be 'GitOrch'
        $out = @(Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop)
        $out.Count | Should -Be 1
        $out[0].GetType().FullName | Should -Be $Type
        $out[0].Name | Should -Be $Parameters.Name
    }
}

Describe 'Set-GitOrchSource -DependsOn and -WaitForHealth' {
    It 'a source that depends on another applies after it and Get-GitOrchSource shows the dependency and its health' {
        New-Item -ItemType Directory (Join-Path $clone 'base'), (Join-Path $clone 'infra') -Force | Out-Null
        Commit 'base/quota.yaml' "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: quota`ndata:`n  max: '9'`n" | Out-Null
        Commit 'infra/limits.yaml' "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: limits`ndata:`n  max: '3'`n" | Out-Null
        $url = [Uri]::new($bare).AbsoluteUri
        Set-GitOrchSource infra -Namespace $ns -Url $url -Branch main -Path infra -DependsOn base -WaitForHealth -HealthTimeout 00:00:30 | Out-Null
        Set-GitOrchSource base -Namespace $ns -Url $url -Branch main -Path base | Out-Null

        $infra = Get-GitOrchSource infra -Namespace $ns | Wait-GitOrchSource -PassThru -Timeout 00:01:00
        $infra.DependsOn | Should -Be "$ns/base"
        $infra.Health | Should -Be 'Healthy'
        (Get-GitOrchObject ConfigMap limits -Namespace $ns).Name | Should -Be 'limits'

        Set-GitOrchSource infra -Namespace $ns -DependsOn @() | Out-Null
        (Get-GitOrchSource infra -Namespace $ns).DependsOn | Should -BeNullOrEmpty
        Remove-GitOrchSource infra, base -Namespace $ns -Force
    }
}
