using System.Text.Json.Serialization;

namespace GitOrch.Engine.Sources.Planning;

[JsonConverter(typeof(JsonStringEnumConverter<PlanAction>))]
public enum PlanAction
{
    Create,
    Update,
    Delete,
}
