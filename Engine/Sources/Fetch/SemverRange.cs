using System.Text.RegularExpressions;
using Semver;

namespace GitOrch.Engine.Sources.Fetch;

/// <summary>
/// A GitSource's <c>spec.ref.semver</c>: the npm range syntax (comparators <c>&gt;=1.2.0 &lt;2.0.0</c>, x-ranges
/// <c>1.2.x</c>, caret <c>^1.2</c>, tilde <c>~1.2</c>, hyphen ranges <c>1.2 - 1.4</c>, alternatives with <c>||</c>),
/// parsed by the <c>Semver</c> package. Commas between comparators are read as spaces (Flux's semver library
/// accepts <c>&gt;=1.2.0, &lt;2.0.0</c>).
/// <para>Pre-releases follow Flux: a range that names no pre-release never picks one (<c>^1.0</c> skips
/// <c>v1.5.0-rc.1</c>); a range that names one (<c>&gt;=1.0.0-0</c>) takes the pre-releases of every version too.</para>
/// </summary>
public sealed partial class SemverRange
{
    /// <summary>Tags are read leniently, as Flux does: <c>v1.2.3</c>, <c>V1.2</c>, <c>1</c>, <c>01.2.3</c>.</summary>
    private const SemVersionStyles TagStyles = SemVersionStyles.AllowV | SemVersionStyles.OptionalMinorPatch | SemVersionStyles.AllowLeadingZeros;

    private readonly SemVersionRange _range;

    private SemverRange(SemVersionRange range) => _range = range;

    /// <summary>Parses a range; an empty one matches every release.</summary>
    /// <exception cref="GitFetchException">Reason <c>InvalidSemverRange</c>, with the parser's message.</exception>
    public static SemverRange Parse(string range)
    {
        var text = range.Replace(',', ' ');
        try
        {
            return new SemverRange(SemVersionRange.ParseNpm(text, includeAllPrerelease: NamesPrerelease().IsMatch(text)));
        }
        catch (FormatException e)
        {
            throw new GitFetchException("InvalidSemverRange", $"semver range \"{range}\" is not valid: {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw new GitFetchException("InvalidSemverRange", $"semver range \"{range}\" is not valid: {e.Message}", e);
        }
    }

    public bool Matches(TagVersion v) => _range.Contains(v.Version);

    /// <summary>Parses a tag name such as "v1.2.3" or "1.2.3-rc.1"; null when the tag is no version.</summary>
    public static TagVersion? ParseVersion(string tag)
        => SemVersion.TryParse(tag, TagStyles, out var v) ? new TagVersion(v) : null;

    public override string ToString() => _range.ToString();

    /// <summary>A digit directly followed by "-" and an identifier: "1.0.0-0", "2-rc" (not the " - " of a hyphen range).</summary>
    [GeneratedRegex(@"\d-[0-9A-Za-z]")]
    private static partial Regex NamesPrerelease();

    /// <summary>
    /// A tag's version, ordered and compared by semver precedence (1.0.0-rc.1 &lt; 1.0.0 &lt; 1.0.1), so build
    /// metadata does not count: v1.0.0+a equals v1.0.0+b.
    /// </summary>
    public sealed class TagVersion(SemVersion version) : IComparable<TagVersion>, IComparable, IEquatable<TagVersion>
    {
        public SemVersion Version { get; } = version;

        public static bool operator ==(TagVersion? a, TagVersion? b) => a is null ? b is null : a.Equals(b);

        public static bool operator !=(TagVersion? a, TagVersion? b) => !(a == b);

        public static bool operator <(TagVersion? a, TagVersion? b) => Compare(a, b) < 0;

        public static bool operator <=(TagVersion? a, TagVersion? b) => Compare(a, b) <= 0;

        public static bool operator >(TagVersion? a, TagVersion? b) => Compare(a, b) > 0;

        public static bool operator >=(TagVersion? a, TagVersion? b) => Compare(a, b) >= 0;

        public int CompareTo(TagVersion? other) => other is null ? 1 : Version.ComparePrecedenceTo(other.Version);

        int IComparable.CompareTo(object? obj) => CompareTo(obj as TagVersion);

        public bool Equals(TagVersion? other) => other is not null && Version.PrecedenceEquals(other.Version);

        public override bool Equals(object? obj) => Equals(obj as TagVersion);

        public override int GetHashCode() => Version.WithoutMetadata().GetHashCode();

        public override string ToString() => Version.ToString();

        private static int Compare(TagVersion? a, TagVersion? b) => a is null ? (b is null ? 0 : -1) : a.CompareTo(b);
    }
}
