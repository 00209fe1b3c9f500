using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Dsp;

/// <summary>float ↔ double block conversion for kernels that compute in double on float audio.</summary>
internal static class SampleConversion
{
    public static void Widen(ReadOnlySpan<float> src, Span<double> dst)
    {
        ref float s = ref MemoryMarshal.GetReference(src);
        ref double d = ref MemoryMarshal.GetReference(dst);
        int n = src.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref s, (nuint)i));
                lo.StoreUnsafe(ref d, (nuint)i);
                hi.StoreUnsafe(ref d, (nuint)(i + Vector256<double>.Count));
            }
        }

        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
    }

    public static void Narrow(ReadOnlySpan<double> src, Span<float> dst)
    {
        ref double s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dst);
        int n = src.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                Vector256.Narrow(Vector256.LoadUnsafe(ref s, (nuint)i), Vector256.LoadUnsafe(ref s, (nuint)(i + Vector256<double>.Count)))
                    .StoreUnsafe(ref d, (nuint)i);
            }
        }

        for (; i < n; i++) Unsafe.Add(ref d, i) = (float)Unsafe.Add(ref s, i);
    }
}
