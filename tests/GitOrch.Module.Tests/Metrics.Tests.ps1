# Get-PodMetric and Get-NodeMetric against a real Engine whose agent samples real containers.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
    $script:engine = Use-TestEngine
    $script:ns = 'metrics-' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    New-GitOrchNamespace $ns | Out-Null
    New-Deployment busy -Namespace $ns -Image gitorch-test/busybox:latest -ImagePullPolicy IfNotPresent -Command sh, -c, 'while :; do :; done' -Direct | Out-Null
    New-Deployment calm -Namespace $ns -Image gitorch-test/busybox:latest -ImagePullPolicy IfNotPresent -Command sleep, 3600 -Direct | Out-Null
    Wait-Deployment busy, calm -Namespace $ns -Timeout 00:01:30 | Out-Null
}

AfterAll {
    Remove-GitOrchNamespace $ns -Force -ErrorAction SilentlyContinue
    if ($engine.Owned) { Stop-TestEngine $engine }
}

Describe 'Get-PodMetric' {
    It 'shows CPU and memory of each Pod, the busy one above the calm one' {
        $rows = Wait-Until -What 'metrics of both Pods' -TimeoutSeconds 30 -Condition {
            $m = @(Get-PodMetric -Namespace $ns)
            if ($m.Count -ge 2) { , $m }
        }
        $busy = $rows | Where-Object { $_.Labels['app'] -eq 'busy' }
        $calm = $rows | Where-Object { $_.Labels['app'] -eq 'calm' }
        $busy.CpuMillicores | Should -BeGreaterThan $calm.CpuMillicores
        $busy.Cpu | Should -Match '^\d+m$'
        $calm.MemoryBytes | Should -BeGreaterThan 0
        $busy.Namespace | Should -Be $ns
    }

    It 'filters by label selector and by name with wildcards' {
        $null = Wait-Until -What 'metrics of the busy Pod' -TimeoutSeconds 30 -Condition { Get-PodMetric -Namespace $ns -Selector app=busy }
        @(Get-PodMetric -Namespace $ns -Selector app=busy).Count | Should -Be 1
        @(Get-PodMetric 'calm-*' -Namespace $ns).Count | Should -Be 1
    }

    It 'formats as kubectl top pods does' {
        $null = Wait-Until -What 'metrics' -TimeoutSeconds 30 -Condition { Get-PodMetric -Namespace $ns }
        $text = Get-PodMetric -Namespace $ns | Out-String
        $text | Should -Match 'CPU\(cores\)'
        $text | Should -Match 'MEMORY\(bytes\)'
    }

    It 'has the common Get- parameters' {
        $cmd = Get-Command Get-PodMetric
        $cmd.Parameters.Keys | Should -Contain 'Selector'
        $cmd.Parameters.Keys | Should -Contain 'AllNamespaces'
        $cmd.Parameters['Name'].Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count | Should -Be 1
    }
}

Describe 'Get-NodeMetric' {
    It 'shows the node with CPU and memory and their share of allocatable' {
        $node = Wait-Until -What 'node metrics' -TimeoutSeconds 30 -Condition { Get-NodeMetric | Select-Object -First 1 }
        $node.MemoryBytes | Should -BeGreaterThan 0
        $node.CpuMillicores | Should -BeGreaterOrEqual 0
        $node.MemoryPercent | Should -BeGreaterThan 0
        (Get-NodeMetric | Out-String) | Should -Match 'CPU%'
    }
}
