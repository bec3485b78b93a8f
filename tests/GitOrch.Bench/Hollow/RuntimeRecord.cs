namespace GitOrch.Bench.Hollow;

/// <summary>What every hollow agent's runtime was asked, summed over all of them (a benchmark reads it at the end).</summary>
public sealed class RuntimeRecord
{
    private long _creates;
    private long _starts;
    private long _stops;
    private long _removes;
    private long _lists;
    private long _inspects;

    public long Creates => Interlocked.Read(ref _creates);
    public long Starts => Interlocked.Read(ref _starts);
    public long Stops => Interlocked.Read(ref _stops);
    public long Removes => Interlocked.Read(ref _removes);
    public long Lists => Interlocked.Read(ref _lists);
    public long Inspects => Interlocked.Read(ref _inspects);

    internal void Create() => Interlocked.Increment(ref _creates);
    internal void Start() => Interlocked.Increment(ref _starts);
    internal void Stop() => Interlocked.Increment(ref _stops);
    internal void Remove() => Interlocked.Increment(ref _removes);
    internal void List() => Interlocked.Increment(ref _lists);
    internal void Inspect() => Interlocked.Increment(ref _inspects);

    public override string ToString() => $"creates={Creates} starts={Starts} stops={Stops} removes={Removes} lists={Lists} inspects={Inspects}";
}
