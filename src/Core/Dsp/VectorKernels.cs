using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// Block kernels on spans of <see cref="float"/> or <see cref="double"/>: gain, linear gain ramp, copy, clear,
/// mix-add, peak and RMS. Each runs on the widest hardware-accelerated vector width (512/256/128 bits) with a
/// scalar tail, so any length (including 0) and any alignment is fine.
/// </summary>
/// <remarks>
/// Out-of-place forms process <c>src.Length</c> elements: <c>dst</c> must be at least that long and may be the
/// very same memory as <c>src</c> (in place), but must not partially overlap it. Violations are programming
/// errors and throw <see cref="ArgumentException"/>; the valid path never throws or allocates (audio-thread safe).
/// </remarks>
public static class VectorKernels
{
    /// <summary>dst[i] = src[i] · gain.</summary>
    public static void Gain<T>(ReadOnlySpan<T> src, Span<T> dst, T gain)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckDestination(src, dst);
        VectorDriver.Transform(src, dst, new MultiplyOperator<T>(gain));
    }

    /// <summary>samples[i] ·= gain.</summary>
    public static void Gain<T>(Span<T> samples, T gain)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => VectorDriver.Transform<T, MultiplyOperator<T>>(samples, samples, new MultiplyOperator<T>(gain));

    /// <summary>
    /// Linear gain ramp: with n = src.Length, dst[i] = src[i] · (start + (end − start)·i/(n − 1)) for n ≥ 2,
    /// so the first sample is scaled by exactly <paramref name="start"/> and the last by exactly
    /// <paramref name="end"/>; for n = 1, dst[0] = src[0] · end (a one-sample ramp has already arrived).
    /// </summary>
    /// <remarks>
    /// Interior gains are computed as start + step·i with step = (end − start)/(n − 1) rounded once in T, so they
    /// differ from the exact line by a few ulps at most and never accumulate error along the span.
    /// Consecutive blocks chain without a step when the next ramp starts where this one ended plus one step.
    /// </remarks>
    public static void GainRamp<T>(ReadOnlySpan<T> src, Span<T> dst, T start, T end)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckDestination(src, dst);
        RampCore(src, dst, start, end);
    }

    /// <summary>In-place form of <see cref="GainRamp{T}(ReadOnlySpan{T}, Span{T}, T, T)"/>.</summary>
    public static void GainRamp<T>(Span<T> samples, T start, T end)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => RampCore(samples, samples, start, end);

    /// <summary>dst[i] = src[i].</summary>
    public static void Copy<T>(ReadOnlySpan<T> src, Span<T> dst)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckDestination(src, dst);
        VectorDriver.Transform(src, dst, default(IdentityOperator<T>));
    }

    /// <summary>dst[i] = 0.</summary>
    public static void Clear<T>(Span<T> dst)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => dst.Clear();

    /// <summary>dst[i] += src[i] · gain (mix a source into an accumulator).</summary>
    public static void MixAdd<T>(ReadOnlySpan<T> src, Span<T> dst, T gain)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckDestination(src, dst);
        VectorDriver.Accumulate(src, dst, new MultiplyAddOperator<T>(gain));
    }

    /// <summary>max |src[i]|; 0 for an empty span, NaN if any element is NaN.</summary>
    /// <remarks>
    /// Computed on the bit patterns: with the sign bit cleared, IEEE 754 magnitudes order like the integers their bits
    /// spell (every NaN above +∞ above every finite value), so the peak is one integer max per vector and the result is
    /// exactly the float max |x| — without the NaN and signed-zero fix-ups an IEEE float max needs per lane and per
    /// horizontal step (those made the peak scan a third of a quiet 128-frame chain block).
    /// </remarks>
    public static T Peak<T>(ReadOnlySpan<T> src)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            int bits = MagnitudeBitsMax(MemoryMarshal.Cast<T, int>(src), 0x7FFF_FFFF);
            return (T)(object)BitConverter.Int32BitsToSingle(bits);
        }
        if (typeof(T) == typeof(double))
        {
            long bits = MagnitudeBitsMax(MemoryMarshal.Cast<T, long>(src), 0x7FFF_FFFF_FFFF_FFFF);
            return (T)(object)BitConverter.Int64BitsToDouble(bits);
        }
        return VectorDriver.AggregateUnordered(src, default(MaxMagnitudeOperator<T>));
    }

    /// <summary>
    /// max(bits[i] &amp; mask) as signed integers (every masked value is ≥ 0); 0 for an empty span. 256-bit vectors only:
    /// the scan is one load, and, max per vector (memory-bound either way), and the bundle targets AVX2.
    /// </summary>
    private static TInt MagnitudeBitsMax<TInt>(ReadOnlySpan<TInt> bits, TInt mask)
        where TInt : unmanaged, IBinaryInteger<TInt>, ISignedNumber<TInt>
    {
        ref TInt s = ref MemoryMarshal.GetReference(bits);
        int n = bits.Length;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<TInt>.Count)
        {
            int w = Vector256<TInt>.Count, i = 0;
            var m = Vector256.Create(mask);
            Vector256<TInt> a0 = Vector256<TInt>.Zero, a1 = a0;
            for (; i + 2 * w <= n; i += 2 * w)
            {
                a0 = Vector256.Max(a0, Vector256.LoadUnsafe(ref s, (nuint)i) & m);
                a1 = Vector256.Max(a1, Vector256.LoadUnsafe(ref s, (nuint)(i + w)) & m);
            }
            // The rest (< 2 vectors) as whole vectors ending at n: re-reading elements cannot change a max.
            if (i < n) a0 = Vector256.Max(a0, Vector256.LoadUnsafe(ref s, (nuint)(n - w)) & m);
            if (i + w < n) a1 = Vector256.Max(a1, Vector256.LoadUnsafe(ref s, (nuint)i) & m);
            return HorizontalMax(Vector256.Max(a0, a1));
        }
        TInt best = TInt.Zero;
        for (int i = 0; i < n; i++) best = TInt.Max(best, Unsafe.Add(ref s, i) & mask);
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // NativeAOT called it: a tenth of the peak scan of a 128-frame block
    private static TInt HorizontalMax<TInt>(Vector256<TInt> v)
        where TInt : unmanaged, IBinaryInteger<TInt>, ISignedNumber<TInt>
    {
        // Fold with constant shuffles (element reads by index went through the stack in the AOT build).
        var h = Vector128.Max(v.GetLower(), v.GetUpper());
        if (typeof(TInt) == typeof(int))
        {
            var w = h.AsInt32();
            w = Vector128.Max(w, Vector128.Shuffle(w, Vector128.Create(2, 3, 0, 1)));
            w = Vector128.Max(w, Vector128.Shuffle(w, Vector128.Create(1, 0, 3, 2)));
            return (TInt)(object)w.ToScalar();
        }
        if (typeof(TInt) == typeof(long))
        {
            var w = h.AsInt64();
            w = Vector128.Max(w, Vector128.Shuffle(w, Vector128.Create(1L, 0L)));
            return (TInt)(object)w.ToScalar();
        }
        TInt best = h.GetElement(0);
        for (int k = 1; k < Vector128<TInt>.Count; k++) best = TInt.Max(best, h.GetElement(k));
        return best;
    }

    /// <summary>sqrt(Σ src[i]² / n); 0 for an empty span.</summary>
    public static T Rms<T>(ReadOnlySpan<T> src)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (src.IsEmpty) return T.Zero;
        T sum = VectorDriver.Aggregate(src, default(SumOfSquaresOperator<T>));
        return T.Sqrt(sum / T.CreateTruncating(src.Length));
    }

    /// <summary>True when no element is NaN or ±∞ (vectorised; one pass, no early exit).</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> src)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => VectorDriver.AggregateUnordered(src, default(NonFiniteProbeOperator<T>)) == T.Zero;

    private static void RampCore<T>(ReadOnlySpan<T> src, Span<T> dst, T start, T end)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = src.Length;
        if (n == 0) return;
        int last = n - 1;
        T step = last == 0 ? T.Zero : (end - start) / T.CreateTruncating(last);
        VectorDriver.TransformIndexed(src[..last], dst[..last], new RampOperator<T>(start, step));
        // The end point is written on its own so it is exact whatever rounding the step carried.
        dst[last] = src[last] * end;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckDestination<T>(ReadOnlySpan<T> src, Span<T> dst)
    {
        if (dst.Length < src.Length) ThrowDestinationTooShort();
        if (src.Overlaps(dst, out int offset) && offset != 0) ThrowPartialOverlap();
    }

    private static void ThrowDestinationTooShort()
        => throw new ArgumentException("Destination is shorter than the source.", "dst");

    private static void ThrowPartialOverlap()
        => throw new ArgumentException("Source and destination overlap without being the same memory.", "dst");
}
