namespace GitOrch.Engine.Sources.Applying;

/// <summary>The store refused a write of an apply; names the object.</summary>
public sealed class ApplyException : Exception
{
    public ApplyException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
