using System.Numerics;

namespace NPlug.Buffers.Chain;

internal static class FiniteCheck
{
    /// <summary>True when no sample is NaN or ±Inf.</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> samples) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // x - x is 0 for finite x and NaN for NaN/±Inf, and NaN survives the sum: one branch per block.
        T sum = T.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated && samples.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            for (; i <= samples.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(samples.Slice(i));
                acc += v - v;
            }
            sum = Vector.Sum(acc);
        }
        for (; i < samples.Length; i++) sum += samples[i] - samples[i];
        return sum == T.Zero;
    }
}
