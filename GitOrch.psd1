#
# GitOrch PowerShell module manifest.
# Build first (README): dotnet build GitOrch.sln -c Release
# The Module project copies the loadable module to the artifacts/module folder after every build (any configuration),
# and lays out artifacts/GitOrch as an installable module folder (Publish-PSResource -Path artifacts/GitOrch),
# so `Import-Module ./GitOrch.psd1` works from the repository root.
#
@{
    RootModule           = 'artifacts/module/GitOrch.Module.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0d8b8e-2f43-4b0e-9d0e-6a1f3c2b7e41'
    Author               = 'GitOrch contributors'
    CompanyName          = 'GitOrch'
    Copyright            = '(c) GitOrch contributors. MIT License.'
    Description          = 'GitOps-first container orchestration from the PowerShell pipeline: Git sources, pull-request plans and previews, Pods, Deployments and more, as objects.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('artifacts/module/GitOrch.Format.ps1xml')
    CmdletsToExport      = @(
        # Connection and the local engine
        'Connect-GitOrch'
        'Disconnect-GitOrch'
        'Get-GitOrchContext'
        'Start-GitOrch'
        'Stop-GitOrch'
        # Git sources
        'Set-GitOrchSource'
        'Get-GitOrchSource'
        'Remove-GitOrchSource'
        'Sync-GitOrchSource'
        'Suspend-GitOrchSource'
        'Resume-GitOrchSource'
        'Compare-GitOrchSource'
        'Wait-GitOrchSource'
        'Get-GitOrchPreview'
        # Pods
        'Get-Pod'
        'Remove-Pod'
        'Get-PodLog'
        # Deployments
        'Get-Deployment'
        'New-Deployment'
        'Set-Deployment'
        'Remove-Deployment'
        'Undo-Deployment'
        'Get-DeploymentRevision'
        'Wait-Deployment'
        # Other workloads
        'Get-DaemonSet'
        'Get-StatefulSet'
        'Get-GitOrchJob'
        'Get-CronJob'
        'Start-CronJob'
        # Cluster
        'Get-Node'
        # Metrics (metrics.k8s.io)
        'Get-PodMetric'
        'Get-NodeMetric'
        'Get-GitOrchService'
        'Get-GitOrchEvent'
        'Get-GitOrchNamespace'
        'New-GitOrchNamespace'
        'Remove-GitOrchNamespace'
        'Get-GitOrchObject'
        'ConvertTo-GitOrchYaml'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('GitOps', 'Containers', 'Orchestration', 'Kubernetes', 'Docker', 'PSEdition_Core')
            ProjectUri = 'https://github.com/gitorch/gitorch'
            LicenseUri = 'https://github.com/gitorch/gitorch/blob/main/LICENSE'
        }
    }
}
