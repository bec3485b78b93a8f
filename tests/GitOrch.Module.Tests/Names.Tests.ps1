# The module's names fit PowerShell: importing it shadows none of PowerShell 7's or Windows PowerShell's
# built-in commands, and it exports what the manifest lists.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
}

Describe 'Command names' {
    It 'leaves <_> resolving to PowerShell''s own command after import' -ForEach @(
        # PowerShell 7 built-ins whose nouns an orchestrator would reach for ...
        'Get-Job', 'Start-Job', 'Stop-Job', 'Remove-Job', 'Wait-Job', 'Receive-Job',
        'Get-Event', 'New-Event', 'Remove-Event', 'Wait-Event',
        'Get-Process', 'Start-Process', 'Stop-Process', 'Get-Service', 'Get-Command', 'Get-Module',
        'Get-Item', 'New-Item', 'Remove-Item', 'Get-Content', 'Get-Date', 'Get-Host', 'Get-Help',
        'Start-ThreadJob', 'Invoke-Command', 'Enter-PSSession', 'Get-Variable', 'Select-Object', 'ConvertTo-Json',
        'ConvertFrom-Json', 'Invoke-WebRequest', 'Invoke-RestMethod', 'Test-Connection', 'Get-Location', 'Wait-Process'
    ) {
        $cmd = Get-Command $_ -ErrorAction SilentlyContinue
        if ($null -eq $cmd) { Set-ItResult -Skipped -Because "$_ is not a built-in on this platform" ; return }
        $cmd.Source | Should -Not -Be 'GitOrch'
        $cmd.ModuleName | Should -Not -Be 'GitOrch'
    }

    It 'exports no command whose name is a Windows PowerShell 5.1 built-in' {
        # Windows-only built-ins are absent on Linux, so they are listed here (Microsoft.PowerShell.Management etc.).
        $windowsOnly = 'Get-Service', 'Start-Service', 'Stop-Service', 'Restart-Service', 'New-Service', 'Remove-Service', 'Set-Service',
            'Get-EventLog', 'Get-WinEvent', 'Get-WmiObject', 'Get-CimInstance', 'Get-Counter', 'Get-HotFix', 'Get-Job', 'Get-Event',
            'Get-Process', 'Get-Printer', 'Get-NetAdapter', 'Get-Volume', 'Get-Disk', 'Get-Partition', 'Get-ScheduledTask', 'Get-ScheduledJob'
        $exported = (Get-Module GitOrch).ExportedCommands.Keys
        $exported | Where-Object { $_ -in $windowsOnly } | Should -BeNullOrEmpty
    }

    It 'still runs PowerShell''s own background jobs: Start-ThreadJob then Get-Job finds it' {
        $job = Start-ThreadJob { 42 }
        try {
            (Get-Job -Id $job.Id).Id | Should -Be $job.Id
            Receive-Job $job -Wait | Should -Be 42
        } finally { Remove-Job $job -Force }
    }

    It 'exports exactly the manifest''s cmdlets, and no aliases' {
        $manifest = Import-PowerShellDataFile (Join-Path $RepoRoot 'GitOrch.psd1')
        $module = Get-Module GitOrch
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $module.ExportedAliases.Count | Should -Be 0
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        (Get-Command -Module GitOrch).Verb | Where-Object { $_ -notin $approved } | Should -BeNullOrEmpty
    }

    It 'names the cluster''s Jobs, Events and Services with GitOrch in the noun: <_>' -ForEach 'Get-GitOrchJob', 'Get-GitOrchEvent', 'Get-GitOrchService' {
        (Get-Command $_).Source | Should -Be 'GitOrch'
    }
}
