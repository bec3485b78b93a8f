namespace GitOrch.Engine.Sources.Health;

/// <summary>kstatus' words, reduced to what a source needs: done, still on its way, or failed for good.</summary>
public enum HealthState
{
    Healthy,
    Progressing,
    Failed,
}

/// <summary>One applied object's health: "Deployment default/web: ImagePullBackOff (0/2 ready)".</summary>
public sealed record ObjectHealth(string Object, HealthState State, string Message)
{
    public override string ToString() => State == HealthState.Healthy ? Object + ": healthy" : Object + ": " + Message;
}
