namespace NPlug.Buffers.Plugin.Parameters;

/// <summary>
/// The current normalized value of every parameter of one processor, shared between the UI thread (state load) and
/// the audio thread (automation). Values are 64-bit doubles written with <see cref="Volatile"/> — never torn on
/// 64-bit targets — and a whole-state load bumps <see cref="Generation"/> after writing every value, so the audio
/// thread re-applies all of them on its next block. No locks, no allocation after construction.
/// </summary>
public sealed class ParameterStore
{
    private readonly double[] _values;
    private int _generation;

    public ParameterStore(ParameterLayout layout)
    {
        Layout = layout;
        _values = layout.CreateDefaults();
    }

    public ParameterLayout Layout { get; }
    public int Count => _values.Length;

    /// <summary>Incremented after each whole-state replacement (<see cref="LoadAll"/>, <see cref="ResetToDefaults"/>).</summary>
    public int Generation => Volatile.Read(ref _generation);

    public double this[int index]
    {
        get => Volatile.Read(ref _values[index]);
        set => Volatile.Write(ref _values[index], Layout[index].SanitizeNormalized(value));
    }

    public double GetPlain(int index) => Layout[index].ToPlain(this[index]);

    public bool TrySet(uint id, double normalized)
    {
        if (!Layout.TryGetIndex(id, out int index)) return false;
        this[index] = normalized;
        return true;
    }

    /// <summary>Copies every value into <paramref name="destination"/> (layout order).</summary>
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
        for (int i = 0; i < _values.Length; i++) this[i] = Layout[i].DefaultNormalized;
        Interlocked.Increment(ref _generation);
    }
}
