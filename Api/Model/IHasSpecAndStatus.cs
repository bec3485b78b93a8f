using System;

namespace GitOrch.Api.Model;

/// <summary>
/// Untyped access to an object's spec and status, for code that treats every kind alike (the store tells spec changes
/// from status changes through it) without reflection. Implemented by <see cref="KubeObject{TSpec,TStatus}"/>.
/// </summary>
public interface IHasSpecAndStatus
{
    Type SpecType { get; }

    Type StatusType { get; }

    object? SpecValue { get; }

    object? StatusValue { get; set; }
}
