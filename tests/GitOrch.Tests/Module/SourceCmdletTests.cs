using System.Collections;
using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Module;
using GitOrch.Tests.Infrastructure.Sources;
using Xunit;

namespace GitOrch.Tests.Module;

/// <summary>
/// The GitOps cmdlets against a live Engine running its source controller and a real Git repository (file://):
/// Set-/Sync-/Compare-GitOrchSource, and Deployments proposed, changed and rolled back through Git.
/// </summary>
[Collection(ModuleCollection.Name)]
[Trait("Requires", "Git")]
public sealed class SourceCmdletTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly PowerShellSession _ps = new();
    private readonly TempDirectory _dir = new("gitorch-ps-git");
    private TestEngine _engine = null!;
    private TestRepo _repo = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync(startComponents: true);
        _ps.UseEngine(_engine);
        _repo = new TestRepo(_dir.Path);
        _repo.Write("deploy/app.yaml", Manifests.ConfigMap("settings", "one") + "\n---\n" + Manifests.Deployment("web", "img:1", replicas: 2));
        _repo.Commit("first");
    }

    public async Task DisposeAsync()
    {
        _ps.Dispose();
        await _engine.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Set_Sync_and_Compare_a_source_then_propose_merge_change_and_revert_a_Deployment_through_Git()
    {
        var vars = new Hashtable { ["url"] = _repo.FileUrl };

        // Set-GitOrchSource: -WhatIf writes nothing; then the source and its credentials Secret are created.
        _ps.Run("Set-GitOrchSource app -Url $url -Branch main -Path deploy -Interval 01:00:00 -WhatIf", vars).ThrowOnError();
        Assert.Null(await _engine.Client.TryGetAsync<GitSource>("default", "app"));
        var created = _ps.Run("Set-GitOrchSource app -Url $url -Branch main -Path deploy -Interval 01:00:00 -WebhookSecret s3cret -PassThru", vars).ThrowOnError().Output.Single();
        Assert.Equal("branch:main", created.Properties["Ref"].Value);
        var spec = (await _engine.Client.GetAsync<GitSource>("default", "app")).Spec!;
        Assert.Equal("1h", spec.Interval);
        Assert.Equal("app-webhook", spec.Webhook!.SecretRef!.Name);
        Assert.Equal("s3cret", (await _engine.Client.GetAsync<Secret>("default", "app-webhook")).GetString("token"));

        // Sync-GitOrchSource -Wait: returns once the controller handled the request, with the source Ready.
        var synced = _ps.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30").ThrowOnError().Output.Single();
        Assert.Equal("True", synced.Properties["Ready"].Value);
        Assert.Equal(_repo.Head, synced.Properties["LastAppliedCommit"].Value);
        var web = await _engine.Client.GetAsync<Deployment>("default", "web");
        Assert.Equal("deploy/app.yaml", web.Metadata.Annotation("gitorch.io/file"));
        Assert.Equal(new[] { "app" }, _ps.Run("Get-GitOrchSource").ThrowOnError().Output.Select(o => (string)o.Properties["Name"].Value));

        // Compare-GitOrchSource: the plan of a branch, one object per change, nothing applied.
        _repo.Checkout("feature", create: true);
        _repo.Write("deploy/app.yaml", Manifests.ConfigMap("settings", "one") + "\n---\n" + Manifests.Deployment("web", "img:1", replicas: 4));
        _repo.Write("deploy/extra.yaml", Manifests.ConfigMap("extra", "x"));
        _repo.Commit("feature");
        _repo.Checkout("main");
        var plan = _ps.Run("Compare-GitOrchSource app -Ref feature").ThrowOnError().Output;
        var update = plan.Single(c => (string)c.Properties["Action"].Value == "Update");
        Assert.Equal("web", update.Properties["Name"].Value);
        Assert.Contains("spec.replicas", (string)update.Properties["Diff"].Value);
        var create = plan.Single(c => (string)c.Properties["Action"].Value == "Create");
        Assert.Equal("extra", create.Properties["Name"].Value);
        Assert.Null(await _engine.Client.TryGetAsync<ConfigMap>("default", "extra"));
        Assert.Equal(2, (await _engine.Client.GetAsync<Deployment>("default", "web")).Spec!.Replicas);

        // New-Deployment with a GitSource: a commit with the manifest on a new branch, nothing in the cluster yet.
        _ps.Run("New-Deployment api -Image img:7 -Replicas 2 -WhatIf").ThrowOnError();
        Assert.Equal(_repo.RemoteSha("refs/heads/main"), _repo.Head);
        // Values YAML would misread if written plainly (booleans, octal-looking numbers, ": ", "#") must survive the trip.
        var proposal = _ps.Run("New-Deployment api -Image img:7 -Replicas 2 -Port 8080 -Env @{ A = 'yes'; B = '0123'; C = 'a: b'; D = '#x'; E = '' }").ThrowOnError().Output.Single();
        var branch = (string)proposal.Properties["Branch"].Value;
        var commit = (string)proposal.Properties["Commit"].Value;
        Assert.StartsWith("gitorch/new-deployment-api-", branch);
        Assert.Equal(commit, _repo.RemoteSha("refs/heads/" + branch));
        Assert.Equal(new[] { "deploy/api-deployment.yaml" }, (string[])proposal.Properties["Files"].Value);
        Assert.Contains("image: img:7", _repo.RemoteFile("refs/heads/" + branch, "deploy/api-deployment.yaml"));
        Assert.Null(await _engine.Client.TryGetAsync<Deployment>("default", "api"));

        // A person merges the pull request; the next sync deploys it.
        Git.Run(_repo.WorkPath, "fetch", "-q", "origin");
        Git.Run(_repo.WorkPath, "merge", "-q", "--ff-only", "origin/" + branch);
        Git.Run(_repo.WorkPath, "push", "-q", "origin", "main");
        _ps.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30").ThrowOnError();
        var api = await _engine.Client.GetAsync<Deployment>("default", "api");
        Assert.Equal(2, api.Spec!.Replicas);
        Assert.Equal("img:7", api.Spec.Template.Spec!.Containers.Single().Image);
        Assert.Equal(commit, api.Metadata.Annotation("gitorch.io/commit"));
        var env = api.Spec.Template.Spec.Containers.Single().Env!.ToDictionary(e => e.Name, e => e.Value ?? "");
        Assert.Equal(new Dictionary<string, string> { ["A"] = "yes", ["B"] = "0123", ["C"] = "a: b", ["D"] = "#x", ["E"] = "" }, env);

        // Set-Deployment on a managed Deployment rewrites its file on a new branch, keeping the other document.
        var change = _ps.Run("Set-Deployment web -Image img:2").ThrowOnError().Output.Single();
        var changedFile = _repo.RemoteFile("refs/heads/" + (string)change.Properties["Branch"].Value, "deploy/app.yaml");
        Assert.Contains("image: img:2", changedFile);
        Assert.Contains("kind: ConfigMap", changedFile);
        Assert.DoesNotContain("gitorch.io/", changedFile);
        Assert.DoesNotContain("resourceVersion", changedFile);
        Assert.Equal("img:1", (await _engine.Client.GetAsync<Deployment>("default", "web")).Spec!.Template.Spec!.Containers.Single().Image);

        // Undo-Deployment through Git: reverts the commit that made api on the tracked branch; sync prunes it.
        _ps.Run("Get-Deployment api | Undo-Deployment -WhatIf").ThrowOnError();
        Assert.Equal(commit, _repo.RemoteSha("refs/heads/main"));
        var revert = _ps.Run("Get-Deployment api | Undo-Deployment").ThrowOnError().Output.Single();
        Assert.Equal("Revert", revert.Properties["Action"].Value);
        Assert.Equal("main", revert.Properties["Branch"].Value);
        Assert.Equal(revert.Properties["Commit"].Value, _repo.RemoteSha("refs/heads/main"));
        _ps.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30").ThrowOnError();
        await Eventually.UntilAsync(() => _engine.Client.TryGetAsync<Deployment>("default", "api"), d => d == null || d.Metadata.DeletionTimestamp != null, Deadline, "api pruned after the revert");
    }

    [Fact]
    public async Task Sync_Wait_reports_a_failed_reconcile_as_SyncFailed_with_the_reason()
    {
        _ps.Run("Set-GitOrchSource app -Url $url -Path deploy -Interval 01:00:00", new Hashtable { ["url"] = _repo.FileUrl }).ThrowOnError();
        _ps.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30").ThrowOnError();
        _repo.Write("deploy/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n");
        _repo.Commit("bad");

        var result = _ps.Run("Sync-GitOrchSource app -Wait -Timeout 00:00:30");

        var error = Assert.Single(result.Errors);
        Assert.Equal("SyncFailed,GitOrch.Module.Cmdlets.Sources.SyncGitOrchSourceCommand", error.FullyQualifiedErrorId);
        Assert.Contains("ValidationFailed", error.Exception.Message);
        Assert.Equal("False", result.Output.Single().Properties["Ready"].Value);
    }

    [Fact]
    public async Task Set_GitOrchSource_keeps_a_credential_in_a_Secret_the_source_refers_to()
    {
        var credential = new PSCredential("token", new System.Net.NetworkCredential("", "tok-123").SecurePassword);
        _ps.Run("Set-GitOrchSource app -Url $url -Credential $cred", new Hashtable { ["url"] = _repo.FileUrl, ["cred"] = credential }).ThrowOnError();

        var source = await _engine.Client.GetAsync<GitSource>("default", "app");
        Assert.Equal("app-git-auth", source.Spec!.SecretRef!.Name);
        Assert.Equal("main", source.Spec.Ref!.Branch);
        Assert.Equal("tok-123", (await _engine.Client.GetAsync<Secret>("default", "app-git-auth")).GetString("token"));

        // Changing one setting leaves the others alone.
        _ps.Run("Set-GitOrchSource app -Path other -Prune:$false").ThrowOnError();
        var changed = (await _engine.Client.GetAsync<GitSource>("default", "app")).Spec!;
        Assert.Equal("other", changed.Path);
        Assert.False(changed.Prune);
        Assert.Equal(_repo.FileUrl, changed.Url);
        Assert.Equal("app-git-auth", changed.SecretRef!.Name);

        var noUrl = _ps.Run("Set-GitOrchSource brand-new -Path x");
        Assert.Equal("InvalidArgument,GitOrch.Module.Cmdlets.Sources.SetGitOrchSourceCommand", Assert.Single(noUrl.AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task Suspend_Resume_and_Remove_change_the_source_and_WhatIf_does_not()
    {
        _ps.Run("Set-GitOrchSource app -Url $url -Path deploy -Interval 01:00:00", new Hashtable { ["url"] = _repo.FileUrl }).ThrowOnError();

        _ps.Run("Suspend-GitOrchSource app -WhatIf").ThrowOnError();
        Assert.NotEqual(true, (await _engine.Client.GetAsync<GitSource>("default", "app")).Spec!.Suspend);
        var suspended = _ps.Run("Suspend-GitOrchSource app -PassThru").ThrowOnError().Output.Single();
        Assert.Equal(true, suspended.Properties["Suspended"].Value);
        Assert.True((await _engine.Client.GetAsync<GitSource>("default", "app")).Spec!.Suspend);
        _ps.Run("Resume-GitOrchSource app").ThrowOnError();
        Assert.False((await _engine.Client.GetAsync<GitSource>("default", "app")).Spec!.Suspend);

        Assert.Empty(_ps.Run("Get-GitOrchPreview app").ThrowOnError().Output);

        _ps.Run("Remove-GitOrchSource app -WhatIf").ThrowOnError();
        Assert.NotNull(await _engine.Client.TryGetAsync<GitSource>("default", "app"));
        _ps.Run("Remove-GitOrchSource app -Confirm:$false").ThrowOnError();
        var gone = await _engine.Client.TryGetAsync<GitSource>("default", "app");
        Assert.True(gone == null || gone.Metadata.DeletionTimestamp != null);

        var missing = _ps.Run("Sync-GitOrchSource app");
        var error = Assert.Single(missing.AllErrors);
        Assert.Equal("GitSourceNotFound,GitOrch.Module.Cmdlets.Sources.SyncGitOrchSourceCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }
}
