using System.Collections;
using System.CommandLine;

namespace GitOrch.Engine.Cli;

/// <summary>
/// The flags of one <c>gitorch</c> sub-command. Adding a flag is ONE entry: the <see cref="Option{T}"/> (name, help
/// text, default, validation; help is generated from it) and where its value goes in <typeparamref name="TTarget"/>.
/// A flag that is not given and has no default leaves the target as it is.
/// </summary>
public sealed class CliFlags<TTarget> : IEnumerable<Option>
{
    private readonly List<Option> _options = [];
    private readonly List<Func<ParseResult, TTarget, TTarget>> _binders = [];

    /// <summary>A flag whose value replaces the target (for records: <c>(o, v) =&gt; o with { X = v }</c>).</summary>
    public void Add<T>(Option<T> option, Func<TTarget, T, TTarget> bind)
    {
        _options.Add(option);
        _binders.Add((result, target) => result.GetResult(option) is null ? target : bind(target, result.GetValue(option)!));
    }

    /// <summary>A flag whose value is set on a mutable target (<c>(o, v) =&gt; o.X = v</c>).</summary>
    public void Add<T>(Option<T> option, Action<TTarget, T> bind) => Add(option, (TTarget target, T value) =>
    {
        bind(target, value);
        return target;
    });

    /// <summary>Applies every given (or defaulted) flag to <paramref name="target"/>, in declaration order.</summary>
    public TTarget Bind(ParseResult result, TTarget target) => _binders.Aggregate(target, (t, bind) => bind(result, t));

    public IEnumerator<Option> GetEnumerator() => _options.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
