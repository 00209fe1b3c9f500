using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// The loops behind every <see cref="VectorKernels"/> operation, one per operation shape (elementwise,
/// accumulate-into-destination, indexed, reduction), each generic over a small operator struct and dispatched
/// on <c>IsHardwareAccelerated</c> for 512/256/128-bit vectors with a scalar path for short spans.
/// dst may be exactly src (in place).
/// </summary>
internal static class VectorDriver
{
    // Elementwise drivers: the widest accelerated width that fits the span takes all of it. The main loop is
    // unrolled by four; the remainder is covered by one last vector aligned to the span's end, which may
    // overlap elements already done. That last vector is LOADED BEFORE the loop stores anything, so it holds
    // original inputs even in place, and recomputing an overlapped element writes the same value again.
    // Spans shorter than the narrowest vector go scalar.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transform<T, TOp>(ReadOnlySpan<T> src, Span<T> dst, TOp op)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        nuint n = (nuint)src.Length;

        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            // Full-width stores that straddle cache lines cost double, so the loop starts at the first
            // 64-byte-aligned destination element; the head it skips is the first vector, computed up front
            // and stored last (like the end vector), so no store can precede a load of the same element.
            nuint w = (nuint)Vector512<T>.Count;
            Vector512<T> first = op.Invoke(Vector512.LoadUnsafe(ref s));
            Vector512<T> last = op.Invoke(Vector512.LoadUnsafe(ref s, n - w));
            nuint i = AlignmentSkip<T>(ref d, 64);
            for (; i + 8 * w <= n; i += 8 * w)
            {
                op.Invoke(Vector512.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
                op.Invoke(Vector512.LoadUnsafe(ref s, i + w)).StoreUnsafe(ref d, i + w);
                op.Invoke(Vector512.LoadUnsafe(ref s, i + 2 * w)).StoreUnsafe(ref d, i + 2 * w);
                op.Invoke(Vector512.LoadUnsafe(ref s, i + 3 * w)).StoreUnsafe(ref d, i + 3 * w);
                op.Invoke(Vector512.LoadUnsafe(ref s, i + 4 * w)).StoreUnsafe(ref d, i + 4 * w);
                op.Invoke(Vector512.LoadUnsafe(ref s, i + 5 * w)).StoreUnsafe(ref d, i + 5 * w);
                op.Invoke(Vector512.LoadUnsafe(ref s, i + 6 * w)).StoreUnsafe(ref d, i + 6 * w);
                op.Invoke(Vector512.LoadUnsafe(ref s, i + 7 * w)).StoreUnsafe(ref d, i + 7 * w);
            }

            for (; i + w <= n; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            last.StoreUnsafe(ref d, n - w);
            first.StoreUnsafe(ref d);
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, i = 0;
            Vector256<T> last = Vector256.LoadUnsafe(ref s, n - w);
            for (; i + 4 * w <= n; i += 4 * w)
            {
                op.Invoke(Vector256.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
                op.Invoke(Vector256.LoadUnsafe(ref s, i + w)).StoreUnsafe(ref d, i + w);
                op.Invoke(Vector256.LoadUnsafe(ref s, i + 2 * w)).StoreUnsafe(ref d, i + 2 * w);
                op.Invoke(Vector256.LoadUnsafe(ref s, i + 3 * w)).StoreUnsafe(ref d, i + 3 * w);
            }

            for (; i + w <= n; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            if (i < n) op.Invoke(last).StoreUnsafe(ref d, n - w);
            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            nuint w = (nuint)Vector128<T>.Count, i = 0;
            Vector128<T> last = Vector128.LoadUnsafe(ref s, n - w);
            for (; i + w <= n; i += w)
                op.Invoke(Vector128.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
            if (i < n) op.Invoke(last).StoreUnsafe(ref d, n - w);
            return;
        }

        for (nuint i = 0; i < n; i++)
            Unsafe.Add(ref d, i) = op.Invoke(Unsafe.Add(ref s, i));
    }

    /// <summary>Elements from <paramref name="d"/> to the next <paramref name="alignment"/>-byte boundary (0 if aligned or T-misaligned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe nuint AlignmentSkip<T>(ref T d, nuint alignment) where T : unmanaged
    {
        nuint address = (nuint)Unsafe.AsPointer(ref d);
        if (address % (nuint)sizeof(T) != 0) return 0;
        return ((alignment - address % alignment) % alignment) / (nuint)sizeof(T);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate<T, TOp>(ReadOnlySpan<T> src, Span<T> dst, TOp op)
        where T : unmanaged
        where TOp : struct, IBinaryOperator<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        nuint n = (nuint)src.Length;

        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, i = 0;
            Vector512<T> lastX = Vector512.LoadUnsafe(ref s, n - w), lastY = Vector512.LoadUnsafe(ref d, n - w);
            for (; i + 2 * w <= n; i += 2 * w)
            {
                op.Invoke(Vector512.LoadUnsafe(ref s, i), Vector512.LoadUnsafe(ref d, i)).StoreUnsafe(ref d, i);
                op.Invoke(Vector512.LoadUnsafe(ref s, i + w), Vector512.LoadUnsafe(ref d, i + w)).StoreUnsafe(ref d, i + w);
            }

            for (; i + w <= n; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref s, i), Vector512.LoadUnsafe(ref d, i)).StoreUnsafe(ref d, i);
            if (i < n) op.Invoke(lastX, lastY).StoreUnsafe(ref d, n - w);
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, i = 0;
            Vector256<T> lastX = Vector256.LoadUnsafe(ref s, n - w), lastY = Vector256.LoadUnsafe(ref d, n - w);
            for (; i + 2 * w <= n; i += 2 * w)
            {
                op.Invoke(Vector256.LoadUnsafe(ref s, i), Vector256.LoadUnsafe(ref d, i)).StoreUnsafe(ref d, i);
                op.Invoke(Vector256.LoadUnsafe(ref s, i + w), Vector256.LoadUnsafe(ref d, i + w)).StoreUnsafe(ref d, i + w);
            }

            for (; i + w <= n; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref s, i), Vector256.LoadUnsafe(ref d, i)).StoreUnsafe(ref d, i);
            if (i < n) op.Invoke(lastX, lastY).StoreUnsafe(ref d, n - w);
            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            nuint w = (nuint)Vector128<T>.Count, i = 0;
            Vector128<T> lastX = Vector128.LoadUnsafe(ref s, n - w), lastY = Vector128.LoadUnsafe(ref d, n - w);
            for (; i + w <= n; i += w)
                op.Invoke(Vector128.LoadUnsafe(ref s, i), Vector128.LoadUnsafe(ref d, i)).StoreUnsafe(ref d, i);
            if (i < n) op.Invoke(lastX, lastY).StoreUnsafe(ref d, n - w);
            return;
        }

        for (nuint i = 0; i < n; i++)
            Unsafe.Add(ref d, i) = op.Invoke(Unsafe.Add(ref s, i), Unsafe.Add(ref d, i));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransformIndexed<T, TOp>(ReadOnlySpan<T> src, Span<T> dst, TOp op)
        where T : unmanaged
        where TOp : struct, IIndexedOperator<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        int n = src.Length;

        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count, i = 0;
            Vector512<T> last = Vector512.LoadUnsafe(ref s, (nuint)(n - w));
            for (; i + w <= n; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref s, (nuint)i), i).StoreUnsafe(ref d, (nuint)i);
            if (i < n) op.Invoke(last, n - w).StoreUnsafe(ref d, (nuint)(n - w));
            return;
        }

        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int w = Vector256<T>.Count, i = 0;
            Vector256<T> last = Vector256.LoadUnsafe(ref s, (nuint)(n - w));
            for (; i + w <= n; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref s, (nuint)i), i).StoreUnsafe(ref d, (nuint)i);
            if (i < n) op.Invoke(last, n - w).StoreUnsafe(ref d, (nuint)(n - w));
            return;
        }

        if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            int w = Vector128<T>.Count, i = 0;
            Vector128<T> last = Vector128.LoadUnsafe(ref s, (nuint)(n - w));
            for (; i + w <= n; i += w)
                op.Invoke(Vector128.LoadUnsafe(ref s, (nuint)i), i).StoreUnsafe(ref d, (nuint)i);
            if (i < n) op.Invoke(last, n - w).StoreUnsafe(ref d, (nuint)(n - w));
            return;
        }

        for (int i = 0; i < n; i++)
            Unsafe.Add(ref d, i) = op.Invoke(Unsafe.Add(ref s, i), i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Aggregate<T, TOp>(ReadOnlySpan<T> src, TOp op)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        nuint n = (nuint)src.Length;
        nuint i = 0;
        T result = op.Identity;

        if (Vector512.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector512<T>.Count;
            if (i + w <= n)
            {
                Vector512<T> acc = Vector512.Create(op.Identity);
                for (; i + w <= n; i += w)
                    acc = op.Combine(acc, op.Transform(Vector512.LoadUnsafe(ref s, i)));
                for (int k = 0; k < Vector512<T>.Count; k++)
                    result = op.Combine(result, acc.GetElement(k));
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector256<T>.Count;
            if (i + w <= n)
            {
                Vector256<T> acc = Vector256.Create(op.Identity);
                for (; i + w <= n; i += w)
                    acc = op.Combine(acc, op.Transform(Vector256.LoadUnsafe(ref s, i)));
                for (int k = 0; k < Vector256<T>.Count; k++)
                    result = op.Combine(result, acc.GetElement(k));
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector128<T>.Count;
            if (i + w <= n)
            {
                Vector128<T> acc = Vector128.Create(op.Identity);
                for (; i + w <= n; i += w)
                    acc = op.Combine(acc, op.Transform(Vector128.LoadUnsafe(ref s, i)));
                for (int k = 0; k < Vector128<T>.Count; k++)
                    result = op.Combine(result, acc.GetElement(k));
            }
        }

        for (; i < n; i++)
            result = op.Combine(result, op.Transform(Unsafe.Add(ref s, i)));
        return result;
    }
    /// <summary>
    /// <see cref="Aggregate{T, TOp}"/> for operators whose combine is associative and commutative bit for bit (max of
    /// magnitudes, the NaN/∞ probe): four independent accumulators, so the loop runs at load throughput instead of
    /// waiting on one accumulator's latency (NaN-propagating max is several instructions deep). Not for sums whose
    /// rounding depends on the order.
    /// </summary>
    public static T AggregateUnordered<T, TOp>(ReadOnlySpan<T> src, TOp op)
        where T : unmanaged
        where TOp : struct, IAggregateOperator<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        nuint n = (nuint)src.Length;
        if (Vector512.IsHardwareAccelerated && n >= 4 * (nuint)Vector512<T>.Count)
        {
            nuint w = (nuint)Vector512<T>.Count, i = 0;
            Vector512<T> a0 = Vector512.Create(op.Identity), a1 = a0, a2 = a0, a3 = a0;
            for (; i + 4 * w <= n; i += 4 * w)
            {
                a0 = op.Combine(a0, op.Transform(Vector512.LoadUnsafe(ref s, i)));
                a1 = op.Combine(a1, op.Transform(Vector512.LoadUnsafe(ref s, i + w)));
                a2 = op.Combine(a2, op.Transform(Vector512.LoadUnsafe(ref s, i + 2 * w)));
                a3 = op.Combine(a3, op.Transform(Vector512.LoadUnsafe(ref s, i + 3 * w)));
            }
            // The rest (< 4 vectors) as whole vectors ending at n: re-reading elements is harmless for these operators.
            for (; i < n; i += w)
                a0 = op.Combine(a0, op.Transform(Vector512.LoadUnsafe(ref s, Math.Min(i, n - w))));
            Vector512<T> acc = op.Combine(op.Combine(a0, a1), op.Combine(a2, a3));
            T result = op.Identity;
            for (int k = 0; k < Vector512<T>.Count; k++) result = op.Combine(result, acc.GetElement(k));
            return result;
        }

        if (Vector256.IsHardwareAccelerated && n >= 4 * (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count, i = 0;
            Vector256<T> a0 = Vector256.Create(op.Identity), a1 = a0, a2 = a0, a3 = a0;
            for (; i + 4 * w <= n; i += 4 * w)
            {
                a0 = op.Combine(a0, op.Transform(Vector256.LoadUnsafe(ref s, i)));
                a1 = op.Combine(a1, op.Transform(Vector256.LoadUnsafe(ref s, i + w)));
                a2 = op.Combine(a2, op.Transform(Vector256.LoadUnsafe(ref s, i + 2 * w)));
                a3 = op.Combine(a3, op.Transform(Vector256.LoadUnsafe(ref s, i + 3 * w)));
            }
            for (; i < n; i += w)
                a0 = op.Combine(a0, op.Transform(Vector256.LoadUnsafe(ref s, Math.Min(i, n - w))));
            Vector256<T> acc = op.Combine(op.Combine(a0, a1), op.Combine(a2, a3));
            T result = op.Identity;
            for (int k = 0; k < Vector256<T>.Count; k++) result = op.Combine(result, acc.GetElement(k));
            return result;
        }

        return Aggregate(src, op);
    }
}
