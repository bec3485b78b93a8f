namespace GitOrch.Engine.Patching;

/// <summary>
/// A patch that cannot be applied. <see cref="Path"/> names where in the patch (or the object) it failed, e.g.
/// <c>spec.template.spec.containers[1]</c>; <see cref="Malformed"/> tells a broken document (400) from one that is
/// well formed but does not fit the object (422).
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException(string path, string message, bool malformed = false)
        : base(path.Length == 0 ? message : $"{path}: {message}")
    {
        Path = path;
        Malformed = malformed;
    }

    public string Path { get; }

    public bool Malformed { get; }
}
