namespace GitOrch.Engine.Sources.Planning;

public enum PlanAction
{
    Create,
    Update,
    Delete,
}
