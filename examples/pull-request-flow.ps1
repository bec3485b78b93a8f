<#
.SYNOPSIS
    A pull request's life in GitOrch: propose an image change on a branch, see its plan, see it run in a preview
    namespace, merge it, watch the rollout, and roll it back through Git.

.DESCRIPTION
    Run it in PowerShell 7 (it imports the repository's GitOrch.psd1 itself when no GitOrch module is loaded), against a running engine with
    an agent (scripts/quickstart.sh, or Start-GitOrch -WithAgent).

    Without -Repository it sets up a demo first: a Git repository in a temp folder holding a Deployment "web", and
    a GitSource "pr-demo" pointing at it:

        ./examples/pull-request-flow.ps1

    With -Repository it works on your own GitSource, from a clean clone of its repository whose "origin" is the
    source's URL and accepts your pushes:

        git clone <the source's url> ~/app
        ./examples/pull-request-flow.ps1 -Repository ~/app -Source app -Deployment web -Image registry.example/web:2

    Steps (each prints what it does, then the objects to look at):
      1. Set-Deployment -Image     proposes the change: a commit on a new branch, through the GitSource
      2. Compare-GitOrchSource     the plan of that branch against what runs now
      3. previews on, PR opened    Set-GitOrchSource -EnablePreviews, the branch pushed as refs/pull/N/head
      4. Get-GitOrchPreview        the preview namespace and its Pods running the new image
      5. merge                     git merge + push in the clone (standing in for the forge's merge button),
                                   and refs/pull/N/head deleted (the forge closing the pull request)
      6. Sync + Wait-Deployment    the new image rolls out; the preview goes away
      7. Undo-Deployment           reverts the merged commit on the tracked branch; the old image comes back

    Nothing but the module's cmdlets, PowerShell's core cmdlets and the git CLI is used, so the script also runs
    in a hosted runspace without Microsoft.PowerShell.Utility (the tests run it that way).

    It writes to the repository: a branch gitorch/set-deployment-..., the ref refs/pull/<N>/head (deleted again),
    the merge and the revert on the tracked branch. Previews are switched off again at the end if they were off.

    On GitHub or GitLab you cannot push refs/pull/*: there you open the pull request from the branch of step 1 and
    press merge instead; the script's git steps only stand in for that, against a repository you own.

.OUTPUTS
    One object with everything the steps showed: Repository, Change, Plan, Preview, PreviewPods, Merge, RolledOut,
    Revert, RolledBack, OldImage, NewImage.
#>
[CmdletBinding()]
param(
    # The GitSource that manages the Deployment.
    [string] $Source = 'pr-demo',

    # The Deployment whose image changes.
    [string] $Deployment = 'web',

    # Namespace of the GitSource and the Deployment.
    [string] $Namespace = 'default',

    # A clean clone of the source's repository; its remote "origin" is the source's URL and accepts pushes.
    # Not given: a demo repository and GitSource are set up in a temp folder first.
    [string] $Repository,

    # The image to propose. scripts/setup.sh puts the test image into the local registry under this name.
    [string] $Image = '127.0.0.1:5000/gitorch-test/busybox:latest',

    # The pull-request number to stand in for (the preview namespace is <source>-pr-<number>).
    [ValidateRange(1, 1000000)]
    [int] $PullRequest = 1,

    # How long each wait may take.
    [TimeSpan] $Timeout = [TimeSpan]::FromMinutes(3)
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# `pwsh ./examples/pull-request-flow.ps1` from a fresh shell works: bring in the module unless one is loaded
# (an installed GitOrch, or the caller's own import).
if (-not (Get-Module GitOrch)) {
    Import-Module (Join-Path $PSScriptRoot '../GitOrch.psd1')
}
$stepNumber = 0

# Write-Host lives in Microsoft.PowerShell.Utility, which a bare hosted runspace does not have: Out-Host (core) stands in.
function Show-Step([string] $Text) {
    $script:stepNumber++
    $line = "==> $($script:stepNumber). $Text"
    if (Get-Command Write-Host -ErrorAction Ignore) {
        Write-Host ''
        Write-Host $line -ForegroundColor Cyan
    } else {
        '' | Out-Host
        $line | Out-Host
    }
}

function Show-Note([string] $Text) {
    if (Get-Command Write-Host -ErrorAction Ignore) { Write-Host "    $Text" } else { "    $Text" | Out-Host }
}

# The git CLI in the clone; stops the script when git fails and returns its output lines.
function Invoke-Git {
    $lines = @(& git -C $script:repoPath @args 2>&1 | ForEach-Object { "$_" })
    if ($LASTEXITCODE -ne 0) {
        throw "git $($args -join ' ') failed ($LASTEXITCODE): $($lines -join [Environment]::NewLine)"
    }

    $lines
}

# Polls until the script block returns something, at most $Timeout (Start-Sleep is in Utility too). On timeout,
# $Explain says what was there instead.
function Wait-Until([scriptblock] $Condition, [string] $What, [scriptblock] $Explain = { }) {
    $deadline = [DateTime]::UtcNow + $Timeout
    while ($true) {
        $value = & $Condition
        if ($value) {
            return $value
        }

        if ([DateTime]::UtcNow -gt $deadline) {
            throw "Timed out after $($Timeout.TotalSeconds) s waiting for $What. $(@(& $Explain) -join ' ')"
        }

        [System.Threading.Thread]::Sleep(500)
    }
}

# The Pods of a Deployment's selector in a namespace, with the image each runs.
function Get-PodImage([string] $InNamespace) {
    $d = Get-Deployment $Deployment -Namespace $InNamespace
    $selector = @($d.Object.Spec.Selector.MatchLabels.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ','
    Get-Pod -Namespace $InNamespace -Selector $selector | ForEach-Object {
        [pscustomobject]@{
            Namespace = $_.Namespace
            Name      = $_.Name
            Status    = $_.Status
            Ready     = $_.Ready
            Node      = $_.Node
            Image     = @($_.Object.Spec.Containers | ForEach-Object Image) -join ','
        }
    }
}

# What the Pods of the Deployment do instead, for a timeout's message.
function Get-PodReport([string] $InNamespace) {
    $pods = @(Get-PodImage $InNamespace | ForEach-Object { "$($_.Name) $($_.Status) $($_.Ready) $($_.Image)" })
    "Pods: $(if ($pods.Count) { $pods -join '; ' } else { 'none' })."
    @(Get-GitOrchEvent -Namespace $InNamespace | Where-Object Type -eq 'Warning' | ForEach-Object { "$($_.Reason): $($_.Message)" }) -join ' '
}

# Pods when every Pod of the Deployment is Running and ready with the image, else nothing.
function Get-RunningWith([string] $InNamespace, [string] $WantImage) {
    $pods = @(Get-PodImage $InNamespace)
    $good = @($pods | Where-Object { $_.Status -eq 'Running' -and $_.Image -eq $WantImage -and $_.Ready -match '^(\d+)/\1$' })
    if ($pods.Count -gt 0 -and $good.Count -eq $pods.Count) {
        , $pods
    }
}

# The demo's repository: a Deployment of two busybox Pods that sleep (no host ports, so the preview's Pods fit on
# the same node as the production ones).
$demoManifest = @'
# The Deployment the pull-request walkthrough changes (examples/pull-request-flow.ps1).
apiVersion: apps/v1
kind: Deployment
metadata:
  name: DEPLOYMENT
spec:
  replicas: 2
  selector:
    matchLabels:
      app: DEPLOYMENT
  template:
    metadata:
      labels:
        app: DEPLOYMENT
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: main
          image: gitorch-test/busybox:latest
          imagePullPolicy: IfNotPresent
          command: ["sleep", "86400"]
'@

if ($Repository) {
    $repoPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Repository)
} else {
    $demoRoot = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'gitorch-pr-demo-' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
    $server = [System.IO.Path]::Combine($demoRoot, 'server.git')
    $repoPath = [System.IO.Path]::Combine($demoRoot, 'clone')
    Show-Step "Setting up the demo: repository $server with Deployment $Deployment, cloned to $repoPath, and GitSource $Source"
    $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($repoPath, 'deploy'))
    Invoke-Git init -q --bare -b main $server | Out-Null
    Invoke-Git init -q -b main | Out-Null
    Invoke-Git remote add origin $server | Out-Null
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($repoPath, 'deploy', $Deployment + '.yaml'), $demoManifest.Replace('DEPLOYMENT', $Deployment))
    Invoke-Git add -A | Out-Null
    Invoke-Git -c user.name=GitOrch -c user.email=demo@gitorch.invalid commit -q -m "${Deployment}: first version" | Out-Null
    Invoke-Git push -q origin main | Out-Null
    Set-GitOrchSource $Source -Namespace $Namespace -Url ([Uri]::new($server).AbsoluteUri) -Branch main -Path deploy -Interval 00:01:00
    Sync-GitOrchSource $Source -Namespace $Namespace -Wait -Timeout $Timeout | Out-Host
    Wait-Deployment $Deployment -Namespace $Namespace -Timeout $Timeout -PassThru | Out-Host
    Show-Note "Remove the demo afterwards: Remove-GitOrchSource $Source; Remove-Deployment $Deployment   (a removed source leaves its objects running; the files stay in $demoRoot)"
}

$gitSource = Get-GitOrchSource $Source -Namespace $Namespace
$tracked = $gitSource.Object.Spec.Ref.Branch
if (-not $tracked) {
    throw "GitSource $Namespace/$Source tracks a tag or version, not a branch: nothing to merge into."
}

$before = Get-Deployment $Deployment -Namespace $Namespace
if (-not $before.Source) {
    throw "Deployment $Namespace/$Deployment is not managed by a GitSource (no gitorch.io/source label): Set-Deployment would change it through the API, not Git."
}

$oldImage = @($before.Images)[0]
if ($oldImage -eq $Image) {
    throw "Deployment $Namespace/$Deployment already runs ${Image}: give another -Image."
}

if (@(Invoke-Git status --porcelain --untracked-files=no).Count -gt 0) {
    throw "$repoPath has uncommitted changes: the script checks out and merges there, so commit or stash them first."
}

$previewsWereOn = $gitSource.Object.Spec.Previews -and $gitSource.Object.Spec.Previews.Enabled
$result = [ordered]@{ Repository = $repoPath; OldImage = $oldImage; NewImage = $Image }

Show-Step "Proposing image $Image for Deployment ${Deployment}: Set-Deployment commits the change on a new branch through GitSource $Source"
$change = Set-Deployment $Deployment -Namespace $Namespace -Image $Image -Message "${Deployment}: run $Image"
$result.Change = $change
$change | Out-Host

Show-Step "The plan of branch $($change.Branch) against what runs now (Compare-GitOrchSource)"
$plan = @(Compare-GitOrchSource $Source -Namespace $Namespace -Ref $change.Branch)
$result.Plan = $plan
$plan | Out-Host
$plan | Where-Object Changes | ForEach-Object { $_.Changes | Out-Host }

Show-Step "Turning previews on and opening pull request #$PullRequest (pushing the branch as refs/pull/$PullRequest/head)"
Show-Note 'A forge creates refs/pull/N/head when a pull request is opened; here git push stands in for it.'
if (-not $previewsWereOn) {
    Set-GitOrchSource $Source -Namespace $Namespace -EnablePreviews
}

Invoke-Git fetch -q origin | Out-Null
Invoke-Git push -q origin "$($change.Commit):refs/pull/$PullRequest/head" | Out-Null
Sync-GitOrchSource $Source -Namespace $Namespace -Wait -Timeout $Timeout | Out-Host

Show-Step "The preview of pull request #$PullRequest and its Pods (Get-GitOrchPreview)"
$preview = Wait-Until { Get-GitOrchPreview $Source -Namespace $Namespace -Number $PullRequest | Where-Object { $_.Commit -eq $change.Commit -and $_.State -in 'Ready', 'Failed' } } "preview #$PullRequest of commit $($change.Commit)"
$result.Preview = $preview
$preview | Out-Host
if ($preview.State -ne 'Ready') {
    throw "Preview #$PullRequest failed: $($preview.Message)"
}

$result.PreviewPods = Wait-Until { Get-RunningWith $preview.Namespace $Image } "the Pods of $Deployment in $($preview.Namespace) to run $Image" { Get-PodReport $preview.Namespace; 'A preview runs on the same nodes as production: with one node, a Deployment with hostPorts cannot run both.' }
$result.PreviewPods | Out-Host

Show-Step "Merging $($change.Branch) into $tracked and closing the pull request (git merge + push stand in for the forge's merge button)"
Invoke-Git checkout -q $tracked | Out-Null
Invoke-Git merge -q --ff-only "origin/$tracked" | Out-Null
Invoke-Git merge -q --ff-only $change.Commit | Out-Null
Invoke-Git push -q origin $tracked | Out-Null
Invoke-Git push -q origin ":refs/pull/$PullRequest/head" | Out-Null
$result.Merge = (Invoke-Git log --oneline -1) -join ''
$result.Merge | Out-Host

Show-Step "Syncing GitSource $Source and waiting for the rollout (Sync-GitOrchSource -Wait, Wait-Deployment)"
Sync-GitOrchSource $Source -Namespace $Namespace -Wait -Timeout $Timeout | Out-Host
Wait-Deployment $Deployment -Namespace $Namespace -Timeout $Timeout -PassThru | Out-Host
$result.RolledOut = Wait-Until { Get-RunningWith $Namespace $Image } "every Pod of $Deployment to run $Image" { Get-PodReport $Namespace }
$result.RolledOut | Out-Host
$null = Wait-Until { -not (Get-GitOrchPreview $Source -Namespace $Namespace -Number $PullRequest) } "preview #$PullRequest to go away"
Show-Note "Preview #$PullRequest is gone with its namespace $($preview.Namespace): the pull request was closed."

Show-Step "Rolling back: Undo-Deployment reverts the merged commit on $tracked, then the source applies the revert"
$revert = Get-Deployment $Deployment -Namespace $Namespace | Undo-Deployment
$result.Revert = $revert
$revert | Out-Host
Sync-GitOrchSource $Source -Namespace $Namespace -Wait -Timeout $Timeout | Out-Null
Wait-Deployment $Deployment -Namespace $Namespace -Timeout $Timeout -PassThru | Out-Host
$result.RolledBack = Wait-Until { Get-RunningWith $Namespace $oldImage } "every Pod of $Deployment to run $oldImage again" { Get-PodReport $Namespace }
$result.RolledBack | Out-Host
Invoke-Git fetch -q origin | Out-Null
Invoke-Git merge -q --ff-only "origin/$tracked" | Out-Null
Show-Note "Your clone's $tracked now has the revert too: $((Invoke-Git log --oneline -1) -join '')"

if (-not $previewsWereOn) {
    Set-GitOrchSource $Source -Namespace $Namespace -EnablePreviews:$false
    Show-Note 'Previews are off again, as they were before.'
}

[pscustomobject]$result
