# Pipelines that connect: results of one cmdlet bind to the next as a PowerShell user expects, against a real
# Engine whose agent runs the test image on Docker.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
    $script:engine = Use-TestEngine
    $script:ns = 'pipes-' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    New-GitOrchNamespace $ns | Out-Null
    $common = @{ Namespace = $ns; Image = 'gitorch-test/busybox:latest'; ImagePullPolicy = 'IfNotPresent'; Command = 'sleep', '3600'; Direct = $true }
    New-Deployment hello -Replicas 2 -Label @{ tier = 'web' } @common | Out-Null
    New-Deployment other @common | Out-Null
    Wait-Deployment hello, other -Namespace $ns -Timeout 00:01:30
}

AfterAll {
    Remove-GitOrchNamespace $ns -Force -ErrorAction SilentlyContinue
    if ($engine.Owned) { Stop-TestEngine $engine }
}

Describe 'Pipelines' {
    It 'Get-Deployment hello | Get-Pod returns the hello Pods (its selector), not Pods named hello' {
        $pods = @(Get-Deployment hello -Namespace $ns | Get-Pod)
        $pods.Count | Should -Be 2
        $pods | ForEach-Object { $_.Labels['app'] | Should -Be 'hello' }
    }

    It 'Get-Deployment | Get-Pod -Selector narrows the Deployment''s Pods further' {
        @(Get-Deployment hello -Namespace $ns | Get-Pod -Selector tier=web).Count | Should -Be 2
        @(Get-Deployment other -Namespace $ns | Get-Pod -Selector tier=web).Count | Should -Be 0
    }

    It 'Get-Node | Get-Pod returns the Pods bound to that node' {
        $node = Get-Node | Where-Object Name -eq $engine.NodeName
        if (-not $node) { $node = Get-Node | Select-Object -First 1 }
        $pods = @($node | Get-Pod | Where-Object Namespace -eq $ns)
        $pods.Count | Should -Be 3
        $pods.Node | Sort-Object -Unique | Should -Be $node.Name
    }

    It 'Get-Pod | Get-PodLog reads each Pod''s log' {
        { Get-Pod -Namespace $ns -Selector app=other | Get-PodLog -Tail 5 } | Should -Not -Throw
    }

    It 'Get-Pod | Get-GitOrchEvent returns only the events about that Pod' {
        $pod = Get-Pod -Namespace $ns -Selector app=other | Select-Object -First 1
        $events = @(Wait-Until -What "events about $($pod.Name)" -TimeoutSeconds 30 { @($pod | Get-GitOrchEvent) })
        $events.Count | Should -BeGreaterThan 0
        $events | ForEach-Object { $_.Object.InvolvedObject.Name | Should -Be $pod.Name }
    }

    It 'Get-Deployment | Get-GitOrchEvent returns the Deployment''s events' {
        $events = @(Wait-Until -What 'events about deployment hello' -TimeoutSeconds 30 { @(Get-Deployment hello -Namespace $ns | Get-GitOrchEvent) })
        $events | ForEach-Object { $_.Object.InvolvedObject.Kind | Should -Be 'Deployment' }
    }

    It 'Get-Pod -Selector | Remove-Pod -Force deletes them without asking' {
        $before = @(Get-Pod -Namespace $ns -Selector app=hello).Name
        Get-Pod -Namespace $ns -Selector app=hello | Remove-Pod -Force
        $null = Wait-Until -What 'the old hello Pods to go' -TimeoutSeconds 30 {
            -not (@(Get-Pod -Namespace $ns -Selector app=hello).Name | Where-Object { $_ -in $before })
        }
    }
}

Describe 'Get-Pod -Watch' {
    It 'streams Pods as they come, as objects, until the pipeline stops' {
        $empty = 'watch-' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        New-GitOrchNamespace $empty | Out-Null
        $psd1 = Join-Path $RepoRoot 'GitOrch.psd1'
        $job = Start-ThreadJob -ArgumentList $psd1, $empty {
            param($psd1, $ns)
            Import-Module $psd1
            Get-Pod -Namespace $ns -Watch | Select-Object -First 1
        }
        try {
            Start-Sleep -Milliseconds 1500   # let the watch start: the Pod must arrive as an event, not in the list
            New-Deployment streamed -Namespace $empty -Image gitorch-test/busybox:latest -ImagePullPolicy IfNotPresent -Command sleep, 3600 -Direct | Out-Null
            $done = $job | Wait-Job -Timeout 60
            $done | Should -Not -BeNullOrEmpty -Because 'the watch should have seen the new Pod'
            $pod = Receive-Job $job
            $pod.Name | Should -BeLike 'streamed-*'
            $pod.WatchEvent | Should -Be 'ADDED'
        } finally {
            Remove-Job $job -Force
            Remove-GitOrchNamespace $empty -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Destructive cmdlets in pwsh -NonInteractive' {
    It 'Remove-Deployment x -Force deletes without a prompt' {
        New-Deployment doomed -Namespace $ns -Image gitorch-test/busybox:latest -ImagePullPolicy IfNotPresent -Direct | Out-Null
        $psd1 = Join-Path $RepoRoot 'GitOrch.psd1'
        $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$psd1'; Remove-Deployment doomed -Namespace $ns -Force"
        $out = pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        Get-Deployment doomed -Namespace $ns -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'Remove-Deployment -Force -WhatIf still changes nothing' {
        New-Deployment kept -Namespace $ns -Image gitorch-test/busybox:latest -ImagePullPolicy IfNotPresent -Direct | Out-Null
        Remove-Deployment kept -Namespace $ns -Force -WhatIf
        (Get-Deployment kept -Namespace $ns).Name | Should -Be 'kept'
    }
}
