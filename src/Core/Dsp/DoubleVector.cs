using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// The few double-precision vector operations the biquad block loop needs, so that loop is written once and
/// instantiated per width (<see cref="Double512"/>, <see cref="Double256"/>) like an operator struct.
/// </summary>
internal interface IDoubleVector<TSelf> where TSelf : struct, IDoubleVector<TSelf>
{
    static abstract int Count { get; }
    static abstract bool IsSupported { get; }
    static abstract TSelf Broadcast(double value);
    static abstract TSelf Load(ref double source);
    static abstract TSelf MulAdd(TSelf a, TSelf b, TSelf c);
    static abstract TSelf Multiply(TSelf a, TSelf b);
    static abstract TSelf Subtract(TSelf a, TSelf b);
    static abstract TSelf Add(TSelf a, TSelf b);
    void Store(ref double destination);
    TSelf BroadcastLast();
    TSelf BroadcastSecondLast();
    double ToScalar();
}

internal readonly struct Double512(Vector512<double> value) : IDoubleVector<Double512>
{
    private readonly Vector512<double> _v = value;

    public static int Count => Vector512<double>.Count;
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Broadcast(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Load(ref double source) => new(Vector512.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 MulAdd(Double512 a, Double512 b, Double512 c) => new(Avx512F.FusedMultiplyAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Multiply(Double512 a, Double512 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Subtract(Double512 a, Double512 b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double512 Add(Double512 a, Double512 b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => _v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Double512 BroadcastLast() => new(Avx512F.PermuteVar8x64(_v, Vector512.Create(7L)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Double512 BroadcastSecondLast() => new(Avx512F.PermuteVar8x64(_v, Vector512.Create(6L)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ToScalar() => _v.ToScalar();
}

internal readonly struct Double256(Vector256<double> value) : IDoubleVector<Double256>
{
    private readonly Vector256<double> _v = value;

    public static int Count => Vector256<double>.Count;
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Broadcast(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Load(ref double source) => new(Vector256.LoadUnsafe(ref source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 MulAdd(Double256 a, Double256 b, Double256 c) => new(Fma.MultiplyAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Multiply(Double256 a, Double256 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Subtract(Double256 a, Double256 b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Double256 Add(Double256 a, Double256 b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination) => _v.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Double256 BroadcastLast() => new(Avx2.Permute4x64(_v, 0b11_11_11_11));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Double256 BroadcastSecondLast() => new(Avx2.Permute4x64(_v, 0b10_10_10_10));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double ToScalar() => _v.ToScalar();
}
