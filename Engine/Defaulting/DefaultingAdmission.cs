using GitOrch.Api.Model;
using GitOrch.Engine.Store;

namespace GitOrch.Engine.Defaulting;

/// <summary>
/// Fills the defaults and server-set fields Kubernetes' API server fills, in one place, as the first step of the
/// store's admission chain: an object comes back from its create (and every later write) as a Kubernetes client
/// expects to read it (a Pod with <c>status.phase: Pending</c> and its QoS class, a Service of type ClusterIP, a
/// Deployment with its rolling-update strategy). Defaults only fill what is empty, so a write that spells out the
/// same values changes nothing, and running the step twice is the same as running it once.
/// </summary>
public sealed class DefaultingAdmission : IAdmissionPlugin
{
    public void Admit(StoreVerb verb, KubeObject obj, KubeObject? old, IStoreView view)
    {
        if (verb == StoreVerb.Delete)
        {
            return;
        }

        switch (obj)
        {
            case Pod pod:
                PodDefaults.Apply(pod, isCreate: verb == StoreVerb.Create);
                break;
            case Service service when verb != StoreVerb.UpdateStatus:
                ServiceDefaults.Apply(service);
                break;
            case Deployment or ReplicaSet or StatefulSet or DaemonSet or Job or CronJob when verb != StoreVerb.UpdateStatus:
                WorkloadDefaults.Apply(obj);
                break;
        }
    }
}
