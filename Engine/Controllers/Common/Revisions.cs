using GitOrch.Api.Model;

namespace GitOrch.Engine.Controllers.Common;

/// <summary>Reading the store revision stamped on written objects, so a controller can wait for its informer to see its own writes.</summary>
public static class Revisions
{
    public static long Of(KubeObject obj)
        => long.TryParse(obj.Metadata.ResourceVersion, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : 0;

    public static long Max(IEnumerable<KubeObject> objs)
    {
        long max = 0;
        foreach (var o in objs)
        {
            max = Math.Max(max, Of(o));
        }

        return max;
    }
}
