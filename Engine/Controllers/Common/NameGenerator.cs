namespace GitOrch.Engine.Controllers.Common;

/// <summary>generateName as Kubernetes does it: prefix plus five characters from an alphabet without vowels (no accidental words).</summary>
public static class NameGenerator
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Generate(string prefix, int length = 5)
    {
        Span<char> s = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            s[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }

        return prefix + new string(s);
    }

    /// <summary>Encodes a hash in the same alphabet (pod-template-hash).</summary>
    public static string Encode(uint value)
    {
        var chars = new List<char>();
        do
        {
            chars.Add(Alphabet[(int)(value % (uint)Alphabet.Length)]);
            value /= (uint)Alphabet.Length;
        }
        while (value > 0);

        return new string(chars.ToArray());
    }
}
