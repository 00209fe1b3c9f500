namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// The current normalized value of every parameter of one processor, shared between host threads (state load,
/// controller messages) and the audio thread (automation). Values are 64-bit doubles written with
/// <see cref="Volatile"/> — never torn on 64-bit targets — and a whole-state load bumps <see cref="Generation"/> after
/// writing every value, so the audio thread re-applies all of them on its next block. No locks, no allocation after
/// construction.
/// </summary>
public sealed class ParameterStore
{
    private readonly double[] _values;
    private int _generation;

    public ParameterStore(ParameterList parameters)
    {
        Parameters = parameters;
        _values = parameters.CreateDefaults();
    }

    public ParameterList Parameters { get; }
    public int Count => _values.Length;

    /// <summary>Incremented after each whole-state replacement (<see cref="LoadAll"/>, <see cref="ResetToDefaults"/>).</summary>
    public int Generation => Volatile.Read(ref _generation);

    public double this[int index]
    {
        get => Volatile.Read(ref _values[index]);
        set => Volatile.Write(ref _values[index], Parameters[index].SanitizeNormalized(value));
    }

    /// <summary>The indexer's write for a value already finite and in [0, 1] (the audio thread's host points).</summary>
    internal void SetInRange(int index, double normalized) => Volatile.Write(ref _values[index], normalized);

    public double GetPlain(int index) => Parameters[index].ToPlain(this[index]);

    public bool TrySet(uint id, double normalized)
    {
        if (!Parameters.TryGetIndex(id, out int index)) return false;
        this[index] = normalized;
        return true;
    }

    /// <summary>Copies every value into <paramref name="destination"/> (list order).</summary>
    public void CopyTo(Span<double> destination)
    {
        for (int i = 0; i < _values.Length; i++) destination[i] = this[i];
    }

    /// <summary>Replaces every value, then publishes the change through <see cref="Generation"/>.</summary>
    public void LoadAll(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < _values.Length; i++) this[i] = values[i];
        Interlocked.Increment(ref _generation);
    }

    public void ResetToDefaults()
    {
        for (int i = 0; i < _values.Length; i++) this[i] = Parameters[i].DefaultNormalized;
        Interlocked.Increment(ref _generation);
    }
}
