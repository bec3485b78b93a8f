using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading.Tasks;
using GitOrch.Api.Model;
using GitOrch.Api.Serialization;
using GitOrch.Module.Infrastructure;
using GitOrch.Module.Results;
using Job = GitOrch.Api.Model.Job;

namespace GitOrch.Module.Cmdlets.Workloads;

/// <summary>Start-CronJob: runs a CronJob now — a Job from its jobTemplate, owned by it, like <c>kubectl create job --from=cronjob/NAME</c>.</summary>
[Cmdlet(VerbsLifecycle.Start, "CronJob", SupportsShouldProcess = true, HelpUri = HelpLinks.Cmdlets)]
[OutputType(typeof(JobInfo))]
public sealed class StartCronJobCommand : NamedObjectsCmdlet<CronJob>
{
    /// <summary>Name of the Job. Default: &lt;cronjob&gt;-manual-&lt;unix seconds&gt;.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JobName { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessObjectAsync(CronJob obj)
    {
        var name = JobName ?? obj.Name + "-manual-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var template = obj.Spec?.JobTemplate ?? new JobTemplateSpec();
        var job = new Job
        {
            ApiVersion = ResourceKinds.Job.ApiVersion,
            Kind = ResourceKinds.Job.Kind,
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = obj.Namespace,
                Labels = template.Metadata?.Labels == null ? null : new Dictionary<string, string>(template.Metadata.Labels),
                Annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>()) { ["cronjob.kubernetes.io/instantiate"] = "manual" },
                OwnerReferences = new List<OwnerReference>
                {
                    new() { ApiVersion = ResourceKinds.CronJob.ApiVersion, Kind = ResourceKinds.CronJob.Kind, Name = obj.Name, Uid = obj.Metadata.Uid ?? "", Controller = true },
                },
            },
            Spec = template.Spec == null ? new JobSpec() : KubeJson.Deserialize<JobSpec>(KubeJson.Serialize(template.Spec)),
        };

        if (!ShouldProcess($"CronJob {obj.Namespace}/{obj.Name}", $"Start Job {name}"))
        {
            return;
        }

        var created = await Client.CreateAsync(job, CancellationToken);
        if (PassThru)
        {
            WriteObject(new JobInfo(created));
        }
    }
}
