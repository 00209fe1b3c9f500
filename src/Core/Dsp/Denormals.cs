using System.Numerics;
using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// Guards for recursive state. Subnormal numbers make x86 arithmetic up to ~100x slower, and a decaying IIR
/// tail walks straight into them, so state is flushed to zero below a threshold far under audibility; a NaN or
/// infinity in recursive state never decays, so it is detected and the state reset.
/// </summary>
public static class Denormals
{
    /// <summary>|state| below this is flushed to 0 for float state (−300 dBFS; the smallest normal float is ~1.2e−38).</summary>
    public const float SingleStateThreshold = 1e-15f;

    /// <summary>|state| below this is flushed to 0 for double state.</summary>
    public const double DoubleStateThreshold = 1e-30;

    /// <summary>The flush threshold for state of type <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T StateThreshold<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? T.CreateTruncating(SingleStateThreshold) : T.CreateTruncating(DoubleStateThreshold);

    /// <summary>0 when |value| is below <see cref="StateThreshold{T}"/> (this includes every subnormal), else value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Flush<T>(T value) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => T.Abs(value) < StateThreshold<T>() ? T.Zero : value;

    /// <summary>Flushes every element of a state array in place (see <see cref="Flush{T}(T)"/>).</summary>
    public static void Flush<T>(Span<T> state) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < state.Length; i++)
            state[i] = Flush(state[i]);
    }

    /// <summary>True for a non-zero value smaller in magnitude than the smallest normal number.</summary>
    public static bool IsSubnormal<T>(T value) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => T.IsSubnormal(value);

    /// <summary>True when the value is neither NaN nor ±∞.</summary>
    public static bool IsFinite<T>(T value) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => T.IsFinite(value);

    /// <summary>True when no element is NaN or ±∞.</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => VectorKernels.AllFinite(values);
}
