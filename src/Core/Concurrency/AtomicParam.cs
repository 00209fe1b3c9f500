namespace NPlug.Buffers.Concurrency;

/// <summary>
/// A double shared between threads (controller/UI writes, audio reads), stored as its 64-bit pattern so every read
/// and write is a single atomic machine word: no torn values, no lock. Ordering is relaxed: it carries one value,
/// not a message about other memory. All members are audio-safe.
/// </summary>
public sealed class AtomicParam
{
    private long _bits;

    public AtomicParam(double initial = 0)
    {
        _bits = BitConverter.DoubleToInt64Bits(initial);
    }

    /// <summary>Current value (the latest store some thread made visible).</summary>
    public double Value
    {
        get => BitConverter.Int64BitsToDouble(Volatile.Read(ref _bits));
        set => Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));
    }

    public double Get() => Value;

    public void Set(double value) => Value = value;

    /// <summary>Stores <paramref name="value"/> and returns the previous value.</summary>
    public double Exchange(double value) =>
        BitConverter.Int64BitsToDouble(Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value)));

    /// <summary>
    /// Stores <paramref name="value"/> if the current bits equal <paramref name="comparand"/>'s bits (so NaN compares
    /// by pattern, and -0 differs from +0); returns the value seen.
    /// </summary>
    public double CompareExchange(double value, double comparand) =>
        BitConverter.Int64BitsToDouble(Interlocked.CompareExchange(
            ref _bits, BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(comparand)));

    /// <summary>
    /// One-pole smoothing toward the current value for an audio-thread consumer:
    /// <c>current += coefficient * (target - current)</c>. A NaN or infinite target leaves <paramref name="current"/> as it is.
    /// </summary>
    public double GetSmoothed(ref double current, double coefficient)
    {
        double target = Value;
        if (double.IsFinite(target)) current += coefficient * (target - current);
        return current;
    }
}
