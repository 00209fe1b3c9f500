using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Dsp;

// Operator contracts for the generic drivers in VectorDriver. Each operation states its arithmetic once per
// width; the driver owns looping, width selection and the scalar tail. Operators are structs passed by value so
// the JIT specialises and inlines every call (no interface dispatch, no boxing).

/// <summary>dst[i] = f(src[i]).</summary>
internal interface IUnaryOperator<T> where T : unmanaged
{
    T Invoke(T x);
    Vector128<T> Invoke(Vector128<T> x);
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>dst[i] = f(src[i], dst[i]).</summary>
internal interface IBinaryOperator<T> where T : unmanaged
{
    T Invoke(T x, T y);
    Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);
    Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
    Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}

/// <summary>dst[i] = f(src[i], i): for element-position-dependent ops such as ramps.</summary>
internal interface IIndexedOperator<T> where T : unmanaged
{
    T Invoke(T x, int index);
    Vector128<T> Invoke(Vector128<T> x, int firstIndex);
    Vector256<T> Invoke(Vector256<T> x, int firstIndex);
    Vector512<T> Invoke(Vector512<T> x, int firstIndex);
}

/// <summary>Reduction: combine(transform(x0), transform(x1), ...), starting from <see cref="Identity"/>.</summary>
internal interface IAggregateOperator<T> where T : unmanaged
{
    T Identity { get; }
    T Transform(T x);
    Vector128<T> Transform(Vector128<T> x);
    Vector256<T> Transform(Vector256<T> x);
    Vector512<T> Transform(Vector512<T> x);
    T Combine(T x, T y);
    Vector128<T> Combine(Vector128<T> x, Vector128<T> y);
    Vector256<T> Combine(Vector256<T> x, Vector256<T> y);
    Vector512<T> Combine(Vector512<T> x, Vector512<T> y);
}

internal readonly struct MultiplyOperator<T>(T gain) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _gain = gain;

    public T Invoke(T x) => x * _gain;
    public Vector128<T> Invoke(Vector128<T> x) => x * _gain;
    public Vector256<T> Invoke(Vector256<T> x) => x * _gain;
    public Vector512<T> Invoke(Vector512<T> x) => x * _gain;
}

internal readonly struct IdentityOperator<T> : IUnaryOperator<T> where T : unmanaged
{
    public T Invoke(T x) => x;
    public Vector128<T> Invoke(Vector128<T> x) => x;
    public Vector256<T> Invoke(Vector256<T> x) => x;
    public Vector512<T> Invoke(Vector512<T> x) => x;
}

/// <summary>y + x·gain.</summary>
internal readonly struct MultiplyAddOperator<T>(T gain) : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _gain = gain;

    public T Invoke(T x, T y) => y + x * _gain;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => y + x * _gain;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => y + x * _gain;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => y + x * _gain;
}

/// <summary>x · (start + step·i). The caller writes the exact end value itself.</summary>
internal readonly struct RampOperator<T>(T start, T step) : IIndexedOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T _start = start;
    private readonly T _step = step;

    public T Invoke(T x, int index) => x * (_start + _step * T.CreateTruncating(index));

    public Vector128<T> Invoke(Vector128<T> x, int firstIndex)
        => x * (Vector128.Create(_start) + Vector128.Create(_step) * (Vector128.Create(T.CreateTruncating(firstIndex)) + Vector128<T>.Indices));

    public Vector256<T> Invoke(Vector256<T> x, int firstIndex)
        => x * (Vector256.Create(_start) + Vector256.Create(_step) * (Vector256.Create(T.CreateTruncating(firstIndex)) + Vector256<T>.Indices));

    public Vector512<T> Invoke(Vector512<T> x, int firstIndex)
        => x * (Vector512.Create(_start) + Vector512.Create(_step) * (Vector512.Create(T.CreateTruncating(firstIndex)) + Vector512<T>.Indices));
}

/// <summary>max |x|; NaN propagates (a NaN anywhere makes the peak NaN, which callers can detect).</summary>
internal readonly struct MaxMagnitudeOperator<T> : IAggregateOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Transform(T x) => T.Abs(x);
    public Vector128<T> Transform(Vector128<T> x) => Vector128.Abs(x);
    public Vector256<T> Transform(Vector256<T> x) => Vector256.Abs(x);
    public Vector512<T> Transform(Vector512<T> x) => Vector512.Abs(x);
    public T Combine(T x, T y) => T.Max(x, y);
    public Vector128<T> Combine(Vector128<T> x, Vector128<T> y) => Vector128.Max(x, y);
    public Vector256<T> Combine(Vector256<T> x, Vector256<T> y) => Vector256.Max(x, y);
    public Vector512<T> Combine(Vector512<T> x, Vector512<T> y) => Vector512.Max(x, y);
}

/// <summary>Σ x².</summary>
internal readonly struct SumOfSquaresOperator<T> : IAggregateOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Transform(T x) => x * x;
    public Vector128<T> Transform(Vector128<T> x) => x * x;
    public Vector256<T> Transform(Vector256<T> x) => x * x;
    public Vector512<T> Transform(Vector512<T> x) => x * x;
    public T Combine(T x, T y) => x + y;
    public Vector128<T> Combine(Vector128<T> x, Vector128<T> y) => x + y;
    public Vector256<T> Combine(Vector256<T> x, Vector256<T> y) => x + y;
    public Vector512<T> Combine(Vector512<T> x, Vector512<T> y) => x + y;
}

/// <summary>Σ x·0: zero for finite input, NaN as soon as one element is NaN or ±∞.</summary>
internal readonly struct NonFiniteProbeOperator<T> : IAggregateOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Transform(T x) => x * T.Zero;
    public Vector128<T> Transform(Vector128<T> x) => x * Vector128<T>.Zero;
    public Vector256<T> Transform(Vector256<T> x) => x * Vector256<T>.Zero;
    public Vector512<T> Transform(Vector512<T> x) => x * Vector512<T>.Zero;
    public T Combine(T x, T y) => x + y;
    public Vector128<T> Combine(Vector128<T> x, Vector128<T> y) => x + y;
    public Vector256<T> Combine(Vector256<T> x, Vector256<T> y) => x + y;
    public Vector512<T> Combine(Vector512<T> x, Vector512<T> y) => x + y;
}
