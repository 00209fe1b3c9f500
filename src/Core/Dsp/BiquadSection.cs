using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// One second-order section's coefficients in the processing type, and the loop that applies them to a span
/// with a direct-form-I history (x1, x2, y1, y2) passed by reference.
/// </summary>
internal sealed class BiquadSection<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private T _b0, _b1, _b2, _a1, _a2;

    public void Set(in BiquadCoefficients c)
    {
        _b0 = T.CreateTruncating(c.B0);
        _b1 = T.CreateTruncating(c.B1);
        _b2 = T.CreateTruncating(c.B2);
        _a1 = T.CreateTruncating(c.A1);
        _a2 = T.CreateTruncating(c.A2);
    }

    /// <summary>Filters <paramref name="samples"/> in place; <paramref name="state"/> is x1, x2, y1, y2.</summary>
    public void Process(ref T state, Span<T> samples)
    {
        ref T x1r = ref state;
        ref T x2r = ref Unsafe.Add(ref state, 1);
        ref T y1r = ref Unsafe.Add(ref state, 2);
        ref T y2r = ref Unsafe.Add(ref state, 3);
        T x1 = x1r, x2 = x2r, y1 = y1r, y2 = y2r;
        T b0 = _b0, b1 = _b1, b2 = _b2, a1 = _a1, a2 = _a2;

        ref T p = ref MemoryMarshal.GetReference(samples);
        for (int i = 0; i < samples.Length; i++)
        {
            T x = Unsafe.Add(ref p, i);
            T y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            Unsafe.Add(ref p, i) = y;
            x2 = x1; x1 = x;
            y2 = y1; y1 = y;
        }

        x1r = x1; x2r = x2; y1r = y1; y2r = y2;
    }
}
