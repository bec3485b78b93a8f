#!/usr/bin/env python3
"""Regenerates en-US/GitOrch.Module.dll-Help.xml (MAML, what Get-Help reads for binary cmdlets). It sits next to
GitOrch.psd1 because PowerShell looks for a module cmdlet's help under the module base (the psd1's folder).

Parameters (name, type, mandatory, position, pipeline input, description from the /// summary) are read from
the cmdlet sources, so the help cannot drift from the code; synopsis, description and examples live below.
Run from the repository root: python3 Module/Help/generate_help.py
"""
import glob
import os
import re
from xml.sax.saxutils import escape

HELP = {
 "Connect-GitOrch": ("Connects this user to a GitOrch engine.",
   "Checks that the server answers over HTTPS with a certificate from the engine's CA and that the token works, then saves server, CA, token (or token file) and default namespace in the user's GitOrch config (gitorch/config.json in the user's config directory; GITORCH_CONFIG names another file). With -Kubeconfig, server, CA and token come from a kubeconfig context (the engine writes <data-dir>/kubeconfig.yaml). A certificate that does not chain to the CA is an EngineCertificateRejected error naming the CA fingerprint expected. GITORCH_SERVER, GITORCH_TOKEN and GITORCH_CA (a CA file) override the saved values. Without any saved context the module uses the local engine: https://127.0.0.1:6443 with ~/.gitorch/admin.token and ~/.gitorch/ca.crt.",
   [("Connect-GitOrch -Kubeconfig ~/.gitorch/kubeconfig.yaml", "Connects with the kubeconfig the engine wrote: its server, CA and admin token."),
    ("Connect-GitOrch -Server https://10.0.0.5:6443 -TokenFile ~/admin.token -CertificateAuthority ~/gitorch-ca.crt", "Connects to a remote engine, trusting the CA copied from its data directory; the token is read from the file at every use."),
    ("Connect-GitOrch https://127.0.0.1:6443 -Token (Read-Host -AsSecureString) -Namespace shop", "Connects to the local engine (CA ~/.gitorch/ca.crt) with a token typed at the prompt, makes 'shop' the default namespace and outputs the context.")]),
 "Get-GitOrchContext": ("Shows where GitOrch cmdlets send requests.",
   "Outputs the server, default namespace, where the settings come from (Environment, Config or Default) and where the token comes from. The token itself is never shown.",
   [("Get-GitOrchContext", "Shows the current connection.")]),
 "Disconnect-GitOrch": ("Forgets the saved GitOrch connection.",
   "Deletes the user's GitOrch config file. Afterwards the module talks to the local engine's default address unless GITORCH_SERVER is set.",
   [("Disconnect-GitOrch -WhatIf", "Shows which config file would be removed.")]),
 "Start-GitOrch": ("Starts the local all-in-one GitOrch engine in the background.",
   "Runs 'gitorch server --data-dir <DataPath> --listen <Listen> --with-agent' (no agent with -NoAgent) as a background process that outlives the session, writing its output to gitorch.log and its process id to gitorch.pid in the data directory. Waits until /readyz answers over HTTPS, then connects to it, trusting the CA the engine wrote (<data-dir>/ca.crt). The executable is taken from GITORCH_EXE, from the module's folder, or from PATH.",
   [("Start-GitOrch", "Starts an engine with an agent on 127.0.0.1:6443 with data in ~/.gitorch and connects to it."),
    ("Start-GitOrch -DataPath ./data -Listen 127.0.0.1:7443 -NoAgent -PassThru", "Starts only the control plane on another port and outputs the process.")]),
 "Stop-GitOrch": ("Stops the engine Start-GitOrch started.",
   "Sends the engine a clean shutdown request and waits up to -Timeout; a process that does not exit is killed.",
   [("Stop-GitOrch", "Stops the engine of ~/.gitorch."), ("Stop-GitOrch -DataPath ./data -Timeout 00:00:10", "Stops the engine of ./data, killing it after 10 seconds.")]),
 "Set-GitOrchSource": ("Creates or changes a GitSource: a Git repository GitOrch keeps applied.",
   "Creates the GitSource when it does not exist (then -Url is required) or changes the given settings. Credentials and the webhook secret are stored in Secrets the source refers to; a token goes in as the password of -Credential.",
   [("Set-GitOrchSource -Name shop -Url https://git.example.com/shop.git -Branch main -Path deploy", "Tracks the deploy folder of the main branch."),
    ("Set-GitOrchSource shop -Credential (Get-Credential token) -EnablePreviews -Interval 00:00:30", "Adds a token, turns on pull-request previews and polls every 30 seconds.")]),
 "Get-GitOrchSource": ("Gets GitSources with their state.",
   "Shows each source's URL, ref, Ready state with its reason (Succeeded, FetchFailed, ValidationFailed, ApplyFailed) and the last applied commit.",
   [("Get-GitOrchSource", "Lists the sources of the current namespace."), ("Get-GitOrchSource -AllNamespaces | Where-Object Ready -ne True", "Finds sources that are not ready.")]),
 "Remove-GitOrchSource": ("Removes GitSources.",
   "Deletes the GitSource; GitOrch stops tracking the repository.",
   [("Remove-GitOrchSource shop -WhatIf", "Shows what would be removed."), ("Get-GitOrchSource old-* | Remove-GitOrchSource -Confirm:$false", "Removes every source whose name starts with old-.")]),
 "Sync-GitOrchSource": ("Reconciles GitSources now.",
   "Asks the source controller to fetch and apply at once (annotation gitorch.io/requestedAt). With -Wait it returns when the reconcile ran and writes an error when it failed.",
   [("Sync-GitOrchSource shop -Wait", "Fetches and applies now and waits for the result."), ("Get-GitOrchSource | Sync-GitOrchSource", "Asks every source of the namespace to reconcile."),
    ("Get-GitOrchSource shop | Sync-GitOrchSource -PassThru | Wait-GitOrchSource", "Asks for a reconcile and waits until the fetched commit is applied.")]),
 "Wait-GitOrchSource": ("Waits until GitSources are ready for their latest fetched commit.",
   "Waits until the source's Ready condition is True and its last applied commit is the last fetched one (and a reconcile asked for by Sync-GitOrchSource has run), showing the Ready condition as progress. A commit the source refused (an invalid manifest: Ready False and Stalled) ends the wait at once with a SyncFailed error naming the commit and the file:line of each error; waiting longer than -Timeout is a WaitTimeout error.",
   [("Wait-GitOrchSource shop", "Waits until the shop source has applied what it fetched."),
    ("Get-GitOrchSource shop | Sync-GitOrchSource -PassThru | Wait-GitOrchSource -Timeout 00:00:30 -PassThru", "Reconciles now, waits up to 30 seconds for the result and shows the source.")]),
 "Suspend-GitOrchSource": ("Pauses a GitSource.",
   "Sets spec.suspend: nothing is fetched or applied until Resume-GitOrchSource; what runs stays as it is.",
   [("Suspend-GitOrchSource shop", "Pauses the shop source.")]),
 "Resume-GitOrchSource": ("Resumes a paused GitSource.",
   "Clears spec.suspend: fetching and applying start again.",
   [("Resume-GitOrchSource shop -PassThru", "Resumes the shop source and shows it.")]),
 "Compare-GitOrchSource": ("Shows what applying a ref of a GitSource would change.",
   "Calls the source's plan subresource: one object per change, with Action Create, Update or Delete, the file, the reason and a field-level diff. Nothing is changed. Use it on a pull request's ref to review it before merging.",
   [("Compare-GitOrchSource shop -Ref refs/pull/42/head", "Shows what merging pull request 42 would change."),
    ("Compare-GitOrchSource shop -Ref feature/cache | Where-Object Action -eq Delete", "Lists what a branch would delete.")]),
 "Get-GitOrchPreview": ("Gets the pull-request previews of GitSources.",
   "Each preview is a pull request deployed into its own namespace; shows its number, namespace, commit and state.",
   [("Get-GitOrchPreview shop", "Lists the previews of the shop source."), ("Get-GitOrchPreview shop -Number 42 | ForEach-Object { Get-Pod -Namespace $_.Namespace }", "Shows the Pods of the preview of pull request 42.")]),
 "Get-Pod": ("Gets Pods.",
   "Shows Pods with kubectl's columns (NAME READY STATUS RESTARTS AGE NODE). -Name takes wildcards; -Selector is a label selector; -Node selects the Pods bound to a node.",
   [("Get-Pod", "Lists the Pods of the current namespace."), ("Get-Pod web-* -Namespace shop", "Pods whose names start with web- in namespace shop."),
    ("Get-Pod -AllNamespaces -Selector app=web -Node node-1", "Pods labelled app=web on node-1 in every namespace."),
    ("Get-Deployment web | Get-Pod", "The Pods of the web Deployment (its label selector)."),
    ("Get-Pod -Selector app=web -Watch | Where-Object Status -eq Running", "Streams the web Pods as they change until Ctrl+C.")]),
 "Remove-Pod": ("Deletes Pods.",
   "Deletes Pods; a controller that owns a Pod (ReplicaSet, DaemonSet, ...) starts a replacement.",
   [("Remove-Pod web-7d4f9-abcde", "Deletes one Pod."), ("Get-Pod -Selector app=web | Remove-Pod -WhatIf", "Shows which Pods would be deleted.")]),
 "Get-PodLog": ("Gets the log of a Pod's container.",
   "Outputs the container's output one line per string. -Follow keeps streaming until Ctrl+C; -Tail limits to the last lines; -Previous reads the log of the previous (crashed) instance.",
   [("Get-PodLog web-7d4f9-abcde -Tail 20", "The last 20 lines."), ("Get-PodLog web-7d4f9-abcde -Container sidecar -Follow", "Streams the sidecar's output until Ctrl+C.")]),
 "Get-Deployment": ("Gets Deployments.",
   "Shows Deployments with kubectl's columns (NAME READY UP-TO-DATE AVAILABLE AGE).",
   [("Get-Deployment", "Lists the Deployments of the current namespace."), ("Get-Deployment web | Select-Object -ExpandProperty Images", "Shows the images of web.")]),
 "New-Deployment": ("Creates a Deployment, through Git when a GitSource is configured.",
   "With a GitSource configured, writes the Deployment's manifest through the source's commits subresource on a new branch and outputs the branch and commit to open a pull request from; merging it deploys. -Direct (or no GitSource) creates the Deployment through the API.",
   [("New-Deployment web -Image nginx:1.27 -Replicas 3 -Port 80", "Proposes a Deployment through Git; the output names the branch to open a pull request from."),
    ("New-Deployment worker -Image busybox -Env @{ MODE = 'batch' } -Direct", "Creates the Deployment at once through the API.")]),
 "Set-Deployment": ("Changes the image or replica count of Deployments.",
   "A Deployment a GitSource manages is changed through Git: its file is rewritten on a new branch (outputs branch and commit). -Direct, or an unmanaged Deployment, changes it through the API.",
   [("Set-Deployment web -Image nginx:1.28", "Proposes the new image through Git."), ("Set-Deployment web -Replicas 5 -Direct -PassThru", "Scales through the API and shows the Deployment.")]),
 "Remove-Deployment": ("Deletes Deployments.",
   "Deletes the Deployment with its ReplicaSets and Pods. A Deployment defined in Git comes back at the next reconcile unless it is removed from the repository.",
   [("Remove-Deployment web -WhatIf", "Shows what would be deleted."), ("Get-Deployment test-* | Remove-Deployment -Confirm:$false", "Deletes every Deployment whose name starts with test-.")]),
 "Undo-Deployment": ("Rolls a Deployment back.",
   "Managed by a GitSource: through Git, so auto-sync agrees with the rollback - the commit that last changed the Deployment is reverted (revert subresource), or with -ToRevision that revision's Pod template is committed on a new branch. -Direct (or unmanaged): the Deployment controller rolls back to the previous revision or to -ToRevision.",
   [("Get-Deployment web | Undo-Deployment", "Reverts, in Git, the commit that last changed web."), ("Undo-Deployment web -ToRevision 3 -Direct", "Rolls back to revision 3 through the API.")]),
 "Get-DeploymentRevision": ("Gets the rollout history of Deployments.",
   "One object per revision (ReplicaSet), oldest first, with its images and whether it is current.",
   [("Get-DeploymentRevision web", "Shows web's revisions."), ("Get-DeploymentRevision web -Revision 2", "Shows revision 2 only.")]),
 "Wait-Deployment": ("Waits until a Deployment's rollout is complete.",
   "Shows a progress bar with updated/ready/available counts until every desired replica is updated, ready and available and no old Pods remain. Fails with WaitTimeout after -Timeout and with RolloutFailed when the progress deadline is exceeded.",
   [("Wait-Deployment web -Timeout 00:02:00", "Waits up to two minutes."), ("Set-Deployment web -Image nginx:1.28 -Direct -PassThru | Wait-Deployment -PassThru", "Changes the image and waits for the rollout.")]),
 "Get-DaemonSet": ("Gets DaemonSets.", "Shows DaemonSets with kubectl's columns (DESIRED CURRENT READY UP-TO-DATE AVAILABLE).",
   [("Get-DaemonSet -AllNamespaces", "Lists every DaemonSet.")]),
 "Get-StatefulSet": ("Gets StatefulSets.", "Shows StatefulSets with their ready count.",
   [("Get-StatefulSet db", "Shows the db StatefulSet.")]),
 "Get-GitOrchJob": ("Gets Jobs (batch/v1) of the cluster.", "Shows Jobs with status, completions and duration. The noun carries GitOrch so that PowerShell's own Get-Job (background jobs) keeps working after import.",
   [("Get-GitOrchJob", "Lists the Jobs of the current namespace."), ("Get-GitOrchJob -Selector app=report", "Jobs labelled app=report.")]),
 "Get-CronJob": ("Gets CronJobs.", "Shows CronJobs with schedule, suspend state, active Jobs and last schedule time.",
   [("Get-CronJob", "Lists the CronJobs of the current namespace.")]),
 "Start-CronJob": ("Runs a CronJob now.",
   "Creates a Job from the CronJob's jobTemplate, owned by the CronJob, like 'kubectl create job --from=cronjob/NAME'.",
   [("Start-CronJob nightly-report -PassThru", "Runs the nightly report now and shows the Job."), ("Start-CronJob backup -JobName backup-before-upgrade -WhatIf", "Shows what would be started.")]),
 "Get-Node": ("Gets the nodes.", "Shows nodes with status, age, version and internal IP.",
   [("Get-Node", "Lists every node."), ("Get-Node -Selector disk=ssd", "Nodes labelled disk=ssd.")]),
 "Get-PodMetric": ("Gets the recent CPU and memory use of Pods.",
   "Reads metrics.k8s.io PodMetrics, which the Engine gathers from every node's agent about once a second: CPU in millicores (the change of the containers' CPU counters over the sample window) and memory working set, summed over the Pod's containers, as 'kubectl top pods' shows them. A Pod appears a second or two after it started. The same numbers drive HorizontalPodAutoscalers.",
   [("Get-PodMetric", "Usage of every Pod of the current namespace."), ("Get-PodMetric -Selector app=web | Sort-Object CpuMillicores -Descending", "The busiest web Pods first.")]),
 "Get-NodeMetric": ("Gets the recent CPU and memory use of nodes.",
   "Reads metrics.k8s.io NodeMetrics (the node's busy CPU time over the sample window and its memory working set) with the share of the node's allocatable CPU and memory, as 'kubectl top nodes' shows them.",
   [("Get-NodeMetric", "Usage of every node."), ("Get-NodeMetric node-1", "Usage of one node.")]),
 "Get-GitOrchService": ("Gets Services of the cluster.", "Shows Services with type, cluster IP and ports. The noun carries GitOrch so that PowerShell's own Get-Service keeps working after import.",
   [("Get-GitOrchService", "Lists the Services of the current namespace.")]),
 "ConvertTo-GitOrchYaml": ("Converts GitOrch objects to Kubernetes' own YAML or JSON.",
   "Outputs one string per object in Kubernetes' wire form (camelCase fields, apiVersion and kind first), as YAML or with -AsKubernetesJson as the API's JSON; ConvertTo-Json of a result gives the .NET model instead. -Manifest leaves out status and server-set metadata, ready to commit to a GitSource's repository.",
   [("Get-Deployment web | ConvertTo-GitOrchYaml -Manifest | Set-Content web.yaml", "Saves the web Deployment as a manifest to commit."),
    ("Get-Pod web-1 | ConvertTo-GitOrchYaml -AsKubernetesJson", "The Pod as kubectl get -o json shows it.")]),
 "Get-GitOrchNamespace": ("Gets Namespaces.", "Shows Namespaces with their status (Active, Terminating) and age.",
   [("Get-GitOrchNamespace", "Lists every Namespace."), ("Get-GitOrchNamespace pr-*", "Namespaces whose names start with pr- (pull-request previews).")]),
 "New-GitOrchNamespace": ("Creates Namespaces.", "Creates each Namespace through the API and outputs it.",
   [("New-GitOrchNamespace shop -Label @{ team = 'shop' }", "Creates namespace shop labelled team=shop.")]),
 "Remove-GitOrchNamespace": ("Deletes Namespaces and everything in them.", "Deletes the Namespace; the Engine deletes the objects in it. Asks for confirmation unless -Force or -Confirm:$false.",
   [("Remove-GitOrchNamespace test-1 -Force", "Deletes namespace test-1 without asking."), ("Get-GitOrchNamespace pr-* | Remove-GitOrchNamespace -WhatIf", "Shows which Namespaces would be deleted.")]),
 "Get-GitOrchEvent": ("Gets Events of the cluster.", "Shows Events oldest first, optionally only those about one object ('name' or 'kind/name', or any GitOrch object from the pipeline). The noun carries GitOrch so that PowerShell's own Get-Event keeps working after import.",
   [("Get-GitOrchEvent -InvolvedObject deploy/web", "Events about the web Deployment."), ("Get-Pod web-* | Get-GitOrchEvent", "Events about each web Pod."), ("Get-GitOrchEvent -Namespace shop | Where-Object Type -eq Warning", "Warnings in namespace shop.")]),
 "Get-GitOrchObject": ("Gets objects of any kind.",
   "Takes a kind, plural or short name (pod, deployments, rs, cm, gs, ...) and outputs the objects with the full typed object in the Object property.",
   [("Get-GitOrchObject -Kind ConfigMap", "Lists the ConfigMaps of the current namespace."), ("(Get-GitOrchObject rs web-7d4f9).Object.Spec.Template", "Shows a ReplicaSet's Pod template.")]),
}

COMMON = {"Name": "Name of the object; wildcards are supported where the parameter says so.",
          "Namespace": "Namespace; default: the context's namespace (default).",
          "PassThru": "Output the object the cmdlet worked on (by default it outputs nothing).",
          "AllNamespaces": "Every namespace (overrides -Namespace).",
          "Selector": "Label selector, e.g. \"app=web\" or \"env in (prod,staging)\"."}
HELP_URI = "https://github.com/gitorch/gitorch/blob/main/Module/README.md#cmdlets"


OUTPUTS = {}
DEFAULT_SET = {}


def parse_cmdlets(root):
    result = {}
    bases = {}
    for path in glob.glob(os.path.join(root, "Module", "**", "*.cs"), recursive=True):
        text = open(path, encoding="utf-8").read()
        m = re.search(r'\[Cmdlet\(Verbs\w+\.(\w+), "(\w+)"', text)
        params = parse_params(text)
        cls = re.search(r'public (?:sealed |abstract )class (\w+)(?:<[^>]*>)?\s*:\s*(\w+)', text)
        if cls:
            bases[cls.group(1)] = (cls.group(2), params)
        if m:
            outputs = re.findall(r'typeof\(([\w.]+)\)', (re.search(r'\[OutputType\(([^\]]*)\)\]', text) or re.match("", "")).group(0) or "")
            result[m.group(1) + "-" + m.group(2)] = (cls.group(1), path)
            OUTPUTS[m.group(1) + "-" + m.group(2)] = outputs
            dflt = re.search(r'DefaultParameterSetName = "(\w+)"', text)
            DEFAULT_SET[m.group(1) + "-" + m.group(2)] = dflt.group(1) if dflt else None
    out = {}
    for name, (cls, _) in result.items():
        params = []
        c = cls
        chain = []
        while c in bases:
            chain.append(bases[c][1])
            c = bases[c][0]
        for ps in reversed(chain):
            params.extend(ps)
        out[name] = params
    return out


UNDOCUMENTED = []


def parse_params(text):
    """Line by line: /// comments and [attributes] collect until a property line ends the group."""
    params, doc, attrs = [], [], []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("///"):
            doc.append(line[3:].strip())
            continue
        if line.startswith("["):
            attrs.append(line)
            continue
        m = re.match(r'public ([\w\[\]<>?.]+) (\w+) \{ get; set; \}', line)
        if m and any(a.startswith("[Parameter") for a in attrs):
            typ, name = m.groups()
            summary = re.sub(r'<[^>]+>', '', " ".join(doc)).replace("&lt;", "<").replace("&gt;", ">").strip()
            pa = next(a for a in attrs if a.startswith("[Parameter"))
            pos = re.search(r'Position = (\d+)', pa)
            params.append({
                "name": name, "type": typ.rstrip("?"), "mandatory": "Mandatory = true" in pa,
                "position": pos.group(1) if pos else None,
                "pipeline": ", ".join(x for x, k in (("ByValue", "ValueFromPipeline = true"), ("ByPropertyName", "ValueFromPipelineByPropertyName = true")) if k in pa) or "False",
                "wildcards": any(a.startswith("[SupportsWildcards") for a in attrs),
                "desc": summary or COMMON.get(name) or UNDOCUMENTED.append(name) or name + ".",
                "set": (re.search(r'ParameterSetName = "(\w+)"', pa) or re.search(r'ParameterSetName = (\w+)', pa) or [None, None])[1],
            })
        doc, attrs = [], []
    return params


def maml(cmdlets):
    o = ['<?xml version="1.0" encoding="utf-8"?>',
         '<!-- Generated by Module/Help/generate_help.py; edit that file, not this one. -->',
         '<helpItems schema="maml" xmlns="http://msh">']
    for name in sorted(cmdlets):
        synopsis, description, examples = HELP[name]
        verb, noun = name.split("-", 1)
        params = cmdlets[name]
        o.append('  <command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
        o.append('    <command:details>')
        o.append(f'      <command:name>{name}</command:name>')
        o.append(f'      <command:verb>{verb}</command:verb><command:noun>{noun}</command:noun>')
        o.append(f'      <maml:description><maml:para>{escape(synopsis)}</maml:para></maml:description>')
        o.append('    </command:details>')
        o.append(f'    <maml:description><maml:para>{escape(description)}</maml:para></maml:description>')
        o.append('    <command:syntax>')
        sets = sorted({p["set"] for p in params if p["set"]}, key=lambda x: (x != DEFAULT_SET.get(name), x)) or [None]
        for st in sets:
            o.append('      <command:syntaxItem>')
            o.append(f'        <maml:name>{name}</maml:name>')
            for p in params:
                if p["set"] in (None, st):
                    o.append(param_xml(p, "        "))
            o.append('      </command:syntaxItem>')
        o.append('    </command:syntax>')
        o.append('    <command:parameters>')
        for p in params:
            o.append(param_xml(p, "      "))
        o.append('    </command:parameters>')
        inputs = [p for p in params if p["pipeline"] != "False"]
        o.append('    <command:inputTypes>')
        seen = set()
        for p in inputs:
            t = p["type"].replace("[]", "")
            if t in seen:
                continue
            seen.add(t)
            how = "by value and by property name" if "ByValue" in p["pipeline"] and "ByPropertyName" in p["pipeline"] else ("by value" if "ByValue" in p["pipeline"] else "by property name")
            names = ", ".join("-" + q["name"] for q in inputs if q["type"].replace("[]", "") == t)
            o.append(f'      <command:inputType><dev:type><maml:name>{escape(qualify(t))}</maml:name></dev:type>'
                     f'<maml:description><maml:para>Binds to {names} ({how}).</maml:para></maml:description></command:inputType>')
        if not inputs:
            o.append('      <command:inputType><dev:type><maml:name>None</maml:name></dev:type>'
                     '<maml:description><maml:para>This cmdlet takes no pipeline input.</maml:para></maml:description></command:inputType>')
        o.append('    </command:inputTypes>')
        o.append('    <command:returnValues>')
        for t in OUTPUTS.get(name) or ["None"]:
            o.append(f'      <command:returnValue><dev:type><maml:name>{escape(qualify(t))}</maml:name></dev:type>'
                     f'<maml:description><maml:para>{escape(OUTPUT_TEXT.get(t, ""))}</maml:para></maml:description></command:returnValue>')
        o.append('    </command:returnValues>')
        o.append('    <command:examples>')
        for i, (code, remarks) in enumerate(examples, 1):
            o.append('      <command:example>')
            o.append(f'        <maml:title>-------------------------- Example {i} --------------------------</maml:title>')
            o.append(f'        <dev:code>{escape(code)}</dev:code>')
            o.append(f'        <dev:remarks><maml:para>{escape(remarks)}</maml:para></dev:remarks>')
            o.append('      </command:example>')
        o.append('    </command:examples>')
        o.append(f'    <command:relatedLinks><maml:navigationLink><maml:linkText>Online Version:</maml:linkText><maml:uri>{HELP_URI}</maml:uri></maml:navigationLink>'
                 '<maml:navigationLink><maml:linkText>about_GitOrch</maml:linkText><maml:uri></maml:uri></maml:navigationLink></command:relatedLinks>')
        o.append('  </command:command>')
    o.append('</helpItems>')
    return "\n".join(o) + "\n"


OUTPUT_TEXT = {"string": "Lines of text."}
SYSTEM = {"string": "System.String", "int": "System.Int32", "long": "System.Int64", "bool": "System.Boolean", "object": "System.Object",
          "TimeSpan": "System.TimeSpan", "Hashtable": "System.Collections.Hashtable", "SwitchParameter": "System.Management.Automation.SwitchParameter",
          "PSCredential": "System.Management.Automation.PSCredential", "SecureString": "System.Security.SecureString", "DateTimeOffset": "System.DateTimeOffset"}


def qualify(t):
    """The .NET name PowerShell shows: result types live in GitOrch.Module.Results."""
    if t in SYSTEM:
        return SYSTEM[t]
    if "." in t or t == "None":
        return t
    if t.startswith("I") and t[1:2].isupper() or t.endswith("Info"):
        return "GitOrch.Module.Results." + t
    return t


def param_xml(p, ind):
    pos = p["position"] if p["position"] is not None else "named"
    return (f'{ind}<command:parameter required="{str(p["mandatory"]).lower()}" globbing="{str(p["wildcards"]).lower()}" '
            f'pipelineInput="{p["pipeline"]}" position="{pos}">'
            f'<maml:name>{p["name"]}</maml:name>'
            f'<maml:description><maml:para>{escape(p["desc"])}</maml:para></maml:description>'
            f'<command:parameterValue required="true">{escape(p["type"])}</command:parameterValue></command:parameter>')


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cmdlets = parse_cmdlets(root)
    missing = set(cmdlets) - set(HELP)
    if missing:
        raise SystemExit("no help text for: " + ", ".join(sorted(missing)))
    if UNDOCUMENTED:
        raise SystemExit("parameters without a /// summary (the help would only repeat the name): " + ", ".join(sorted(set(UNDOCUMENTED))))
    with open(os.path.join(root, "en-US", "GitOrch.Module.dll-Help.xml"), "w", encoding="utf-8") as f:
        f.write(maml(cmdlets))
    print(f"{len(cmdlets)} cmdlets")
