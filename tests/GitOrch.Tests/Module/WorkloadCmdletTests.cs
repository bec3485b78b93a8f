using System.Collections;
using System.Management.Automation;
using GitOrch.Api.Model;
using GitOrch.Tests.Infrastructure;
using GitOrch.Tests.Infrastructure.Module;
using Xunit;
using Job = GitOrch.Api.Model.Job;

namespace GitOrch.Tests.Module;

/// <summary>Get/New/Set/Remove flows of Pods, Deployments and the other workloads against a live in-process Engine (API only).</summary>
[Collection(ModuleCollection.Name)]
public sealed class WorkloadCmdletTests : IAsyncLifetime
{
    private readonly PowerShellSession _ps = new();
    private TestEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngine.StartAsync();
        _ps.UseEngine(_engine);
    }

    public async Task DisposeAsync()
    {
        _ps.Dispose();
        await _engine.DisposeAsync();
    }

    [Fact]
    public async Task Get_Pod_takes_wildcards_and_a_missing_literal_name_is_a_non_terminating_ObjectNotFound()
    {
        foreach (var name in new[] { "web-1", "web-2", "db-1" })
        {
            await _engine.Client.CreateAsync(Objects.Pod(name, app: name.StartsWith("web") ? "web" : "db"));
        }

        var result = _ps.Run("Get-Pod web-*, nope, db-1");

        Assert.Equal(new[] { "db-1", "web-1", "web-2" }, result.Objects<object>().Select(Name).OrderBy(n => n));
        var error = Assert.Single(result.Errors);
        Assert.Equal("PodNotFound,GitOrch.Module.Cmdlets.Pods.GetPodCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);

        var none = _ps.Run("Get-Pod nomatch-*");
        Assert.Empty(none.Output);
        Assert.Empty(none.AllErrors);
    }

    [Fact]
    public async Task Get_Pod_selects_by_label_node_and_namespace()
    {
        await _engine.Client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "shop" } });
        await _engine.Client.CreateAsync(Objects.Pod("web-1", node: "node-a"));
        await _engine.Client.CreateAsync(Objects.Pod("web-2", node: "node-b"));
        await _engine.Client.CreateAsync(Objects.Pod("db-1", app: "db", node: "node-a"));
        await _engine.Client.CreateAsync(Objects.Pod("web-9", ns: "shop"));

        Assert.Equal(new[] { "web-1", "web-2" }, Names(_ps.Run("Get-Pod -Selector app=web").ThrowOnError()));
        Assert.Equal(new[] { "db-1", "web-1" }, Names(_ps.Run("Get-Pod -Node node-a").ThrowOnError()));
        Assert.Equal(new[] { "web-9" }, Names(_ps.Run("Get-Pod -Namespace shop").ThrowOnError()));
        Assert.Equal(new[] { "db-1", "web-1", "web-2", "web-9" }, Names(_ps.Run("Get-Pod -AllNamespaces").ThrowOnError()));

        var pod = _ps.Run("Get-Pod web-1").ThrowOnError().Output.Single();
        Assert.Equal("GitOrch.Module.Results.PodInfo", pod.BaseObject.GetType().FullName);
        Assert.Equal("0/1", pod.Properties["Ready"].Value);
        Assert.Equal("node-a", pod.Properties["Node"].Value);
        Assert.Equal("Pending", pod.Properties["Status"].Value);
    }

    [Fact]
    public async Task Remove_Pod_WhatIf_changes_nothing_and_the_pipeline_removes_what_Get_Pod_selected()
    {
        await _engine.Client.CreateAsync(Objects.Pod("web-1"));
        await _engine.Client.CreateAsync(Objects.Pod("web-2"));
        await _engine.Client.CreateAsync(Objects.Pod("db-1", app: "db"));

        _ps.Run("Get-Pod -Selector app=web | Remove-Pod -WhatIf").ThrowOnError();
        Assert.Equal(3, (await _engine.Client.ListAsync<Pod>("default")).Items.Count(p => p.Metadata.DeletionTimestamp == null));

        var removed = _ps.Run("Get-Pod -Selector app=web | Remove-Pod -PassThru").ThrowOnError();
        Assert.Equal(new[] { "web-1", "web-2" }, Names(removed));
        var left = (await _engine.Client.ListAsync<Pod>("default")).Items.Where(p => p.Metadata.DeletionTimestamp == null).Select(p => p.Name);
        Assert.Equal(new[] { "db-1" }, left);
    }

    [Fact]
    public async Task New_Deployment_without_a_GitSource_creates_through_the_API_and_WhatIf_creates_nothing()
    {
        _ps.Run("New-Deployment web -Image gitorch-test/busybox:latest -Replicas 3 -Port 8080 -Env @{ MODE = 'x' } -WhatIf").ThrowOnError();
        Assert.Null(await _engine.Client.TryGetAsync<Deployment>("default", "web"));

        var created = _ps.Run("New-Deployment web -Image gitorch-test/busybox:latest -Replicas 3 -Port 8080 -Env @{ MODE = 'x' }").ThrowOnError().Output.Single();
        Assert.Equal("GitOrch.Module.Results.DeploymentInfo", created.BaseObject.GetType().FullName);

        var d = await _engine.Client.GetAsync<Deployment>("default", "web");
        Assert.Equal(3, d.Spec!.Replicas);
        var container = Assert.Single(d.Spec.Template.Spec!.Containers);
        Assert.Equal("gitorch-test/busybox:latest", container.Image);
        Assert.Equal(8080, Assert.Single(container.Ports!).ContainerPort);
        Assert.Equal("x", Assert.Single(container.Env!).Value);

        var listed = _ps.Run("Get-Deployment").ThrowOnError().Output.Single();
        Assert.Equal("0/3", listed.Properties["Ready"].Value);

        var again = _ps.Run("New-Deployment web -Image gitorch-test/busybox:latest");
        Assert.Equal("ApiAlreadyExists,GitOrch.Module.Cmdlets.Deployments.NewDeploymentCommand", Assert.Single(again.AllErrors).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, again.AllErrors.Single().CategoryInfo.Category);
    }

    [Fact]
    public async Task Set_Deployment_Direct_changes_image_and_replicas_and_WhatIf_changes_nothing()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("web", replicas: 2, image: "img:1"));

        _ps.Run("Set-Deployment web -Image img:2 -Replicas 5 -WhatIf").ThrowOnError();
        var unchanged = await _engine.Client.GetAsync<Deployment>("default", "web");
        Assert.Equal(2, unchanged.Spec!.Replicas);
        Assert.Equal("img:1", unchanged.Spec.Template.Spec!.Containers[0].Image);

        var result = _ps.Run("Set-Deployment web -Image img:2 -Replicas 5 -PassThru").ThrowOnError();
        Assert.Equal(5, result.Output.Single().Properties["Replicas"].Value);
        var changed = await _engine.Client.GetAsync<Deployment>("default", "web");
        Assert.Equal(5, changed.Spec!.Replicas);
        Assert.Equal("img:2", changed.Spec.Template.Spec!.Containers[0].Image);

        var missing = _ps.Run("Set-Deployment nope -Replicas 1");
        Assert.Equal("DeploymentNotFound,GitOrch.Module.Cmdlets.Deployments.SetDeploymentCommand", Assert.Single(missing.AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task Remove_Deployment_WhatIf_keeps_it_and_Remove_deletes_it()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("web"));

        _ps.Run("Remove-Deployment web -WhatIf").ThrowOnError();
        Assert.NotNull(await _engine.Client.TryGetAsync<Deployment>("default", "web"));

        _ps.Run("Remove-Deployment web -Confirm:$false").ThrowOnError();
        var gone = await _engine.Client.TryGetAsync<Deployment>("default", "web");
        Assert.True(gone == null || gone.Metadata.DeletionTimestamp != null);
    }

    [Fact]
    public async Task Revisions_are_listed_and_Undo_Deployment_Direct_asks_the_controller_to_roll_back()
    {
        var d = await _engine.Client.CreateAsync(Objects.Deployment("web", image: "img:2"));
        await _engine.Client.CreateAsync(Objects.Revision(d, 1, "img:1"));
        await _engine.Client.CreateAsync(Objects.Revision(d, 2, "img:2"));
        await _engine.Client.PatchAsync<Deployment>("default", "web", "{\"metadata\":{\"annotations\":{\"deployment.kubernetes.io/revision\":\"2\"}}}");

        var revisions = _ps.Run("Get-DeploymentRevision web").ThrowOnError().Output;
        Assert.Equal(new[] { 1L, 2L }, revisions.Select(r => (long)r.Properties["Revision"].Value));
        Assert.Equal(new[] { false, true }, revisions.Select(r => (bool)r.Properties["Current"].Value));
        Assert.Equal(new[] { "img:1" }, (string[])revisions[0].Properties["Images"].Value);

        _ps.Run("Get-Deployment web | Undo-Deployment -WhatIf").ThrowOnError();
        Assert.Null((await _engine.Client.GetAsync<Deployment>("default", "web")).Metadata.Annotation("gitorch.io/rollback-to"));

        var unknown = _ps.Run("Undo-Deployment web -ToRevision 9");
        var error = Assert.Single(unknown.AllErrors);
        Assert.Equal("RevisionNotFound,GitOrch.Module.Cmdlets.Deployments.UndoDeploymentCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

        _ps.Run("Get-Deployment web | Undo-Deployment -ToRevision 1").ThrowOnError();
        Assert.Equal("1", (await _engine.Client.GetAsync<Deployment>("default", "web")).Metadata.Annotation("gitorch.io/rollback-to"));
    }

    [Fact]
    public async Task Wait_Deployment_reports_updated_and_ready_counts_as_progress_and_completes_it()
    {
        var d = await _engine.Client.CreateAsync(Objects.Deployment("web", replicas: 2));
        using var wait = _ps.Start("Wait-Deployment web -Timeout 00:00:30 -PollInterval 00:00:00.050 -PassThru");

        await Eventually.True(() => wait.Progress.Count > 0, TimeSpan.FromSeconds(10), "a first progress record");
        Assert.Contains("updated 0/2, ready 0/2", wait.Progress[0].StatusDescription);
        Assert.False(wait.IsCompleted);

        await _engine.Client.PatchStatusAsync<Deployment>("default", "web", new
        {
            status = new { observedGeneration = d.Metadata.Generation, replicas = 2, updatedReplicas = 2, readyReplicas = 1, availableReplicas = 1 },
        });
        await Eventually.True(() => wait.Progress.Any(p => p.StatusDescription.Contains("ready 1/2")), TimeSpan.FromSeconds(10), "progress with one ready replica");

        await _engine.Client.PatchStatusAsync<Deployment>("default", "web", new
        {
            status = new { observedGeneration = d.Metadata.Generation, replicas = 2, updatedReplicas = 2, readyReplicas = 2, availableReplicas = 2 },
        });
        var result = await wait.WaitAsync(TimeSpan.FromSeconds(20));

        result.ThrowOnError();
        Assert.Equal("web", Name(result.Output.Single().BaseObject));
        var last = result.Progress.Last();
        Assert.Equal(ProgressRecordType.Completed, last.RecordType);
        Assert.Equal(wait.Progress[0].ActivityId, last.ActivityId);
    }

    [Fact]
    public async Task Wait_Deployment_times_out_with_WaitTimeout_and_still_completes_its_progress()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("web", replicas: 1));

        var result = _ps.Run("Wait-Deployment web -Timeout 00:00:00.300 -PollInterval 00:00:00.050");

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("WaitTimeout,GitOrch.Module.Cmdlets.Deployments.WaitDeploymentCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Equal(ProgressRecordType.Completed, result.Progress.Last().RecordType);
    }

    [Fact]
    public async Task Stopping_the_pipeline_cancels_a_wait_promptly()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("web", replicas: 1));
        using var wait = _ps.Start("Wait-Deployment web -Timeout 00:05:00 -PollInterval 00:00:10");
        await Eventually.True(() => wait.Progress.Count > 0, TimeSpan.FromSeconds(10), "the wait to start");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        wait.Stop();

        Assert.True(wait.IsCompleted);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "stop took " + watch.Elapsed);
    }

    [Fact]
    public async Task Start_CronJob_creates_a_Job_from_the_template_owned_by_the_CronJob_and_WhatIf_creates_none()
    {
        var cj = await _engine.Client.CreateAsync(new CronJob
        {
            Metadata = new ObjectMeta { Name = "report", Namespace = "default" },
            Spec = new CronJobSpec
            {
                Schedule = "0 3 * * *",
                JobTemplate = new JobTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = new() { ["app"] = "report" } },
                    Spec = new JobSpec
                    {
                        BackoffLimit = 2,
                        Template = new PodTemplateSpec
                        {
                            Metadata = new ObjectMeta { Labels = new() { ["app"] = "report" } },
                            Spec = new PodSpec { RestartPolicy = "Never", Containers = new() { new Container { Name = "r", Image = "gitorch-test/busybox:latest" } } },
                        },
                    },
                },
            },
        });

        _ps.Run("Start-CronJob report -WhatIf").ThrowOnError();
        Assert.Empty((await _engine.Client.ListAsync<Job>("default")).Items);

        var started = _ps.Run("Get-CronJob report | Start-CronJob -JobName report-now -PassThru").ThrowOnError();
        Assert.Equal("report-now", Name(started.Output.Single().BaseObject));
        var job = await _engine.Client.GetAsync<Job>("default", "report-now");
        Assert.Equal(2, job.Spec!.BackoffLimit);
        Assert.Equal("report", job.Metadata.Label("app"));
        Assert.Equal("manual", job.Metadata.Annotation("cronjob.kubernetes.io/instantiate"));
        var owner = Assert.Single(job.Metadata.OwnerReferences!);
        Assert.Equal(cj.Metadata.Uid, owner.Uid);
        Assert.Equal("CronJob", owner.Kind);

        Assert.Equal(new[] { "report-now" }, Names(_ps.Run("Get-GitOrchJob").ThrowOnError()));
    }

    [Fact]
    public async Task Get_GitOrchObject_reads_any_kind_by_short_name_and_rejects_unknown_kinds()
    {
        await _engine.Client.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "settings", Namespace = "default" }, Data = new() { ["a"] = "1" } });

        var cm = _ps.Run("Get-GitOrchObject cm settings").ThrowOnError().Output.Single();
        Assert.Equal("ConfigMap", cm.Properties["Kind"].Value);
        Assert.Equal("1", ((ConfigMap)cm.Properties["Object"].Value).Data!["a"]);

        var unknown = _ps.Run("Get-GitOrchObject widgets");
        Assert.Equal("UnknownKind,GitOrch.Module.Cmdlets.Cluster.GetGitOrchObjectCommand", Assert.Single(unknown.AllErrors).FullyQualifiedErrorId);

        var missing = _ps.Run("Get-GitOrchObject configmap nope");
        Assert.Equal("ConfigMapNotFound,GitOrch.Module.Cmdlets.Cluster.GetGitOrchObjectCommand", Assert.Single(missing.AllErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task Get_Event_filters_by_involved_object()
    {
        foreach (var (name, kind, obj) in new[] { ("e1", "Pod", "web-1"), ("e2", "Deployment", "web"), ("e3", "Pod", "db-1") })
        {
            await _engine.Client.CreateAsync(new Event
            {
                Metadata = new ObjectMeta { Name = name, Namespace = "default" },
                InvolvedObject = new ObjectReference { Kind = kind, Name = obj, Namespace = "default" },
                Reason = "Testing",
                Message = "about " + obj,
                Type = "Normal",
            });
        }

        Assert.Equal(new[] { "e2" }, Names(_ps.Run("Get-GitOrchEvent -InvolvedObject deploy/web").ThrowOnError()));
        Assert.Equal(new[] { "e1" }, Names(_ps.Run("Get-GitOrchEvent -InvolvedObject pod/web-1").ThrowOnError()));
        Assert.Equal(3, _ps.Run("Get-GitOrchEvent").ThrowOnError().Output.Count);
    }

    [Fact]
    public async Task Names_complete_from_the_live_server()
    {
        await _engine.Client.CreateAsync(Objects.Deployment("web"));
        await _engine.Client.CreateAsync(Objects.Deployment("worker"));
        await _engine.Client.CreateAsync(Objects.Deployment("db"));

        await _engine.Client.CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = "shop" } });
        await _engine.Client.CreateAsync(Objects.Pod("cart-1", ns: "shop"));

        var completions = _ps.Run("(TabExpansion2 -inputScript 'Undo-Deployment w' -cursorColumn 17).CompletionMatches.CompletionText").ThrowOnError();
        Assert.Equal(new[] { "web", "worker" }, completions.Output.Select(o => o.ToString()));

        var namespaces = _ps.Run("(TabExpansion2 -inputScript 'Get-Pod -Namespace sh' -cursorColumn 21).CompletionMatches.CompletionText").ThrowOnError();
        Assert.Equal(new[] { "shop" }, namespaces.Output.Select(o => o.ToString()));

        // -Name completes within the -Namespace already typed.
        var inShop = _ps.Run("(TabExpansion2 -inputScript 'Get-Pod -Namespace shop -Name c' -cursorColumn 31).CompletionMatches.CompletionText").ThrowOnError();
        Assert.Equal(new[] { "cart-1" }, inShop.Output.Select(o => o.ToString()));
    }

    private static string Name(object o) => (string)o.GetType().GetProperty("Name")!.GetValue(o)!;

    private static string[] Names(RunResult r) => r.Output.Select(o => Name(o.BaseObject)).OrderBy(n => n).ToArray();
}
