# Behaviour a PowerShell user expects from long waits and failures, against a real Engine and agent.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
    $script:engine = Use-TestEngine
    $script:ns = 'behave-' + [guid]::NewGuid().ToString('n').Substring(0, 6)
    New-GitOrchNamespace $ns | Out-Null
}

AfterAll {
    Remove-GitOrchNamespace $ns -Force -ErrorAction SilentlyContinue
    if ($engine.Owned) { Stop-TestEngine $engine }
}

Describe 'Wait-Deployment' {
    It 'fails in seconds naming ImagePullBackOff when the image cannot be pulled' {
        # The open local registry answers, but has no such image: the pull fails for good.
        New-Deployment nopull -Namespace $ns -Image 127.0.0.1:5000/gitorch-test/no-such-image:1 -Direct | Out-Null
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $err = $null
        try { Wait-Deployment nopull -Namespace $ns -Timeout 00:03:00 -ProgressAction SilentlyContinue } catch { $err = $_ }
        $watch.Stop()
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'RolloutBlocked*'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.Exception.Message | Should -Match 'ImagePullBackOff|ErrImagePull'
        $err.TargetObject.Name | Should -Be 'nopull'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 90
    }

    It 'completes for the local test image with -ImagePullPolicy IfNotPresent and -PassThru outputs it' {
        New-Deployment local -Namespace $ns -Image gitorch-test/busybox:latest -ImagePullPolicy IfNotPresent -Command sleep, 3600 -Env @{ MODE = 'test' } -Port 8080 -Label @{ tier = 'x' } -Direct | Out-Null
        $d = Wait-Deployment local -Namespace $ns -Timeout 00:01:30 -PassThru
        $d.Ready | Should -Be '1/1'
        $c = $d.Object.Spec.Template.Spec.Containers[0]
        $c.ImagePullPolicy | Should -Be 'IfNotPresent'
        $c.Env[0].Name | Should -Be 'MODE'
        $c.Ports[0].ContainerPort | Should -Be 8080
        $d.Labels['tier'] | Should -Be 'x'
    }
}

Describe 'Errors' {
    It 'a missing object is ObjectNotFound with the name as target' {
        Get-Deployment no-such-thing -Namespace $ns -ErrorAction SilentlyContinue -ErrorVariable e | Out-Null
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e[0].TargetObject | Should -Be 'no-such-thing'
        $e[0].Exception.GetType().FullName | Should -Not -Match '^System\.(UriFormatException|Net\.|IO\.)'
    }

    It 'Connect-GitOrch with a bad URL is InvalidArgument, not a raw UriFormatException' {
        { Connect-GitOrch -Server 'not a url' -Token t } | Should -Throw -ErrorId 'InvalidArgument*'
    }
}

Describe 'ConvertTo-GitOrchYaml' {
    It 'gives Kubernetes'' own wire form back, as YAML or JSON, and a manifest without status' {
        New-Deployment wire -Namespace $ns -Image gitorch-test/busybox:latest -ImagePullPolicy IfNotPresent -Replicas 0 -Direct | Out-Null
        $yaml = Get-Deployment wire -Namespace $ns | ConvertTo-GitOrchYaml
        $yaml | Should -Match '(?m)^apiVersion: apps/v1$'
        $yaml | Should -Match '(?m)^kind: Deployment$'
        $json = Get-Deployment wire -Namespace $ns | ConvertTo-GitOrchYaml -AsKubernetesJson | ConvertFrom-Json
        $json.metadata.name | Should -Be 'wire'
        $json.spec.template.spec.containers[0].imagePullPolicy | Should -Be 'IfNotPresent'
        $manifest = Get-Deployment wire -Namespace $ns | ConvertTo-GitOrchYaml -Manifest -AsKubernetesJson | ConvertFrom-Json
        $manifest.PSObject.Properties.Name | Should -Not -Contain 'status'
        $manifest.metadata.PSObject.Properties.Name | Should -Not -Contain 'uid'
    }

    It 'refuses what is not a GitOrch object with InvalidArgument' {
        { 'text' | ConvertTo-GitOrchYaml } | Should -Throw -ErrorId 'InvalidArgument*'
    }
}

Describe '-Verbose' {
    It 'says which server, context and namespace, and each request''s method, path, status and time' {
        $lines = @(Get-Pod -Namespace $ns -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $lines[0] | Should -Match ([regex]::Escape($engine.Server))
        $lines[0] | Should -Match 'namespace'
        $lines | Where-Object { $_ -match "^GET /api/v1/namespaces/$ns/pods.* -> 200 OK \(\d+ ms\)$" } | Should -Not -BeNullOrEmpty
    }

    It 'says whether a change went to Git or to the API' {
        $lines = @(New-Deployment verbose-api -Namespace $ns -Image gitorch-test/busybox:latest -ImagePullPolicy IfNotPresent -Direct -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $lines | Should -Contain 'Through the API (-Direct).'
        $lines | Where-Object { $_ -match "^POST /apis/apps/v1/namespaces/$ns/deployments -> 201" } | Should -Not -BeNullOrEmpty
    }
}

Describe 'Connect-GitOrch' {
    It 'outputs the context it made and takes -Token as SecureString' {
        $token = (Get-Content $engine.TokenFile -Raw).Trim()
        $ctx = Connect-GitOrch -Server $engine.Server -Token (ConvertTo-SecureString $token -AsPlainText -Force) -CertificateAuthority $engine.CaFile -Namespace $ns
        $ctx.Server | Should -Be $engine.Server
        $ctx.Namespace | Should -Be $ns
        (Get-Command Connect-GitOrch).Parameters['Token'].ParameterType | Should -Be ([securestring])
        Connect-GitOrch -Server $engine.Server -TokenFile $engine.TokenFile -CertificateAuthority $engine.CaFile | Out-Null
    }
}
