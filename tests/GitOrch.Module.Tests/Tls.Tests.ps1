# HTTPS: the module reaches the engine through a kubeconfig or an explicit CA, and refuses an engine whose
# certificate does not chain to the CA it was given, naming the fingerprint it expected.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
    $script:engine = Use-TestEngine

    function New-OtherCa([string] $Path) {
        # A CA the engine never used: same shape as the engine's (ECDSA P-256, self-signed).
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=not-the-engine-ca', $key, 'SHA256')
        $cert = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddMinutes(-5), [DateTimeOffset]::UtcNow.AddDays(1))
        Set-Content -Path $Path -Value $cert.ExportCertificatePem() -NoNewline
        [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($cert.RawData)).ToLowerInvariant()
    }
}

AfterAll {
    Connect-GitOrch -Server $engine.Server -TokenFile $engine.TokenFile -CertificateAuthority $engine.CaFile | Out-Null
    if ($engine.Owned) { Stop-TestEngine $engine }
}

Describe 'Connect-GitOrch -Kubeconfig' {
    It 'takes server, CA and token from the kubeconfig the engine wrote, and cmdlets work over HTTPS' {
        $ctx = Connect-GitOrch -Kubeconfig $engine.Kubeconfig
        $ctx.Server | Should -Be $engine.Server
        $ctx.CertificateAuthority | Should -BeLike "kubeconfig *kubeconfig.yaml (context gitorch)"
        (Get-GitOrchNamespace default).Name | Should -Be 'default'
    }

    It 'picks the context named by -Context and names the contexts it has when that one is missing' {
        (Connect-GitOrch -Kubeconfig $engine.Kubeconfig -Context gitorch).Server | Should -Be $engine.Server
        $err = $null
        try { Connect-GitOrch -Kubeconfig $engine.Kubeconfig -Context nope } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'KubeconfigInvalid*'
        $err.Exception.Message | Should -Match 'no context "nope" \(contexts: gitorch\)'
    }

    It 'reads a CA file and a token file that the kubeconfig names relative to itself' {
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ('kc-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        New-Item -ItemType Directory $dir | Out-Null
        Copy-Item $engine.CaFile (Join-Path $dir 'engine-ca.crt')
        Copy-Item $engine.TokenFile (Join-Path $dir 'token')
        @"
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: $($engine.Server)
    certificate-authority: engine-ca.crt
users:
- name: u
  user:
    tokenFile: token
contexts:
- name: files
  context: {cluster: c, user: u, namespace: kube-files}
current-context: files
"@ | Set-Content (Join-Path $dir 'config')
        $ctx = Connect-GitOrch -Kubeconfig (Join-Path $dir 'config')
        $ctx.Namespace | Should -Be 'kube-files'
        $ctx.CertificateAuthority | Should -Be (Join-Path $dir 'engine-ca.crt')
        (Get-GitOrchNamespace default).Name | Should -Be 'default'
        Remove-Item -Recurse -Force $dir
    }
}

Describe 'A wrong CA' {
    It 'makes Connect-GitOrch fail with EngineCertificateRejected naming the fingerprint it expected, and saves nothing' {
        $wrong = Join-Path ([System.IO.Path]::GetTempPath()) ('wrong-ca-' + [guid]::NewGuid().ToString('n').Substring(0, 8) + '.crt')
        $fingerprint = New-OtherCa $wrong
        Connect-GitOrch -Server $engine.Server -TokenFile $engine.TokenFile -CertificateAuthority $engine.CaFile | Out-Null
        $before = Get-Content $env:GITORCH_CONFIG -Raw
        $err = $null
        try { Connect-GitOrch -Server $engine.Server -TokenFile $engine.TokenFile -CertificateAuthority $wrong } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'EngineCertificateRejected*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match "expected CA fingerprint sha256:$fingerprint"
        Get-Content $env:GITORCH_CONFIG -Raw | Should -Be $before
        Remove-Item $wrong
    }

    It 'makes every cmdlet of a saved context with that CA fail the same way' {
        $wrong = Join-Path ([System.IO.Path]::GetTempPath()) ('wrong-ca-' + [guid]::NewGuid().ToString('n').Substring(0, 8) + '.crt')
        $fingerprint = New-OtherCa $wrong
        Connect-GitOrch -Server $engine.Server -TokenFile $engine.TokenFile -CertificateAuthority $wrong -Force | Out-Null
        $err = $null
        try { Get-Pod } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'EngineCertificateRejected*'
        $err.Exception.Message | Should -Match "sha256:$fingerprint"
        Remove-Item $wrong
    }
}
