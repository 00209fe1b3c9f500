using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// The one loop behind every <see cref="VectorKernels"/> operation: widest accelerated vector first
/// (512, then 256, then 128 bits, each level only taking what the wider one left), then a scalar tail.
/// Every element is loaded before its result is stored, so dst may be exactly src (in place).
/// </summary>
internal static class VectorDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transform<T, TOp>(ReadOnlySpan<T> src, Span<T> dst, TOp op)
        where T : unmanaged
        where TOp : struct, IUnaryOperator<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        nuint n = (nuint)src.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector512<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector256<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector128<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector128.LoadUnsafe(ref s, i)).StoreUnsafe(ref d, i);
        }

        for (; i < n; i++)
            Unsafe.Add(ref d, i) = op.Invoke(Unsafe.Add(ref s, i));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate<T, TOp>(ReadOnlySpan<T> src, Span<T> dst, TOp op)
        where T : unmanaged
        where TOp : struct, IBinaryOperator<T>
    {
        ref T s = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        nuint n = (nuint)src.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector512<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref s, i), Vector512.LoadUnsafe(ref d, i)).StoreUnsafe(ref d, i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector256<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref s, i), Vector256.LoadUnsafe(ref d, i)).StoreUnsafe(ref d, i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector128<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector128.LoadUnsafe(ref s, i), Vector128.LoadUnsafe(ref d, i)).StoreUnsafe(ref d, i);
        }

        for (; i < n; i++)
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
        int i = 0;

        if (Vector512.IsHardwareAccelerated)
        {
            int w = Vector512<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector512.LoadUnsafe(ref s, (nuint)i), i).StoreUnsafe(ref d, (nuint)i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector256.LoadUnsafe(ref s, (nuint)i), i).StoreUnsafe(ref d, (nuint)i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            int w = Vector128<T>.Count;
            for (; i + w <= n; i += w)
                op.Invoke(Vector128.LoadUnsafe(ref s, (nuint)i), i).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
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
}
