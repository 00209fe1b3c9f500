using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// One second-order section in the processing type and the loops that apply it in place to a span, with a
/// direct-form-I history (x1, x2, y1, y2) passed by reference.
/// </summary>
/// <remarks>
/// <para>A biquad on one channel is a serial recurrence: sample by sample, each output waits on the previous
/// one through two multiply-adds. The block loop breaks that chain with look-ahead: for L = Vector256&lt;T&gt;.Count
/// consecutive outputs,</para>
/// <code>y[n+k] = Σ_{j≤k} g[k−j]·x[n+j] + R1[k]·x[n−1] + R2[k]·x[n−2] + P[k]·y[n−1] + Q[k]·y[n−2]</code>
/// <para>where g is the section's impulse response and R1, R2, P, Q are its responses to each history value.
/// The x terms do not depend on earlier outputs, so they issue ahead; only y[n−1], y[n−2] (two lanes of the
/// previous vector) are carried, through one permute and two FMAs per L samples. The columns are computed in
/// double from the double coefficients whenever the section is set.</para>
/// </remarks>
internal sealed class BiquadSection<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private static int Lanes => Vector256<T>.Count;

    // Columns: G_0..G_{L-1}, then R1 + R2, −R2, P + Q, −Q (see ComputeColumns).
    private readonly Vector256<T>[] _columns = new Vector256<T>[Vector256<T>.Count + 4];
    private T _b0, _b1, _b2, _a1, _a2;

    /// <summary>True when the look-ahead path is used (256-bit vectors with FMA and lane permutes).</summary>
    public static bool IsBlockPathAvailable => Vector256.IsHardwareAccelerated && Fma.IsSupported && Avx2.IsSupported;

    public void Set(in BiquadCoefficients c)
    {
        _b0 = T.CreateTruncating(c.B0);
        _b1 = T.CreateTruncating(c.B1);
        _b2 = T.CreateTruncating(c.B2);
        _a1 = T.CreateTruncating(c.A1);
        _a2 = T.CreateTruncating(c.A2);
        // Columns come from the coefficients as rounded to T, so the look-ahead loop and the scalar tail run
        // the very same filter (in float, rounding the coefficients moves a low pole more than any arithmetic).
        ComputeColumns(new BiquadCoefficients(
            double.CreateTruncating(_b0), double.CreateTruncating(_b1), double.CreateTruncating(_b2),
            double.CreateTruncating(_a1), double.CreateTruncating(_a2)));
    }

    private void ComputeColumns(in BiquadCoefficients c)
    {
        int lanes = Lanes;
        Span<double> g = stackalloc double[lanes];
        Span<double> r1 = stackalloc double[lanes];
        Span<double> r2 = stackalloc double[lanes];
        Span<double> p = stackalloc double[lanes];
        Span<double> q = stackalloc double[lanes];

        // Each sequence obeys v[k] = f[k] − a1·v[k−1] − a2·v[k−2]; they differ in forcing f and initial history.
        Respond(c, g, c.B0, c.B1, c.B2, 0.0, 0.0);   // impulse at x[n]
        Respond(c, r1, c.B1, c.B2, 0.0, 0.0, 0.0);   // x[n−1] = 1
        Respond(c, r2, c.B2, 0.0, 0.0, 0.0, 0.0);    // x[n−2] = 1
        Respond(c, p, 0.0, 0.0, 0.0, 1.0, 0.0);      // y[n−1] = 1
        Respond(c, q, 0.0, 0.0, 0.0, 0.0, 1.0);      // y[n−2] = 1

        Span<T> column = stackalloc T[lanes];
        for (int j = 0; j < lanes; j++)
        {
            for (int k = 0; k < lanes; k++)
                column[k] = k >= j ? T.CreateTruncating(g[k - j]) : T.Zero;
            _columns[j] = Vector256.Create((ReadOnlySpan<T>)column);
        }

        // History terms in sum/difference form: R1·x1 + R2·x2 = (R1 + R2)·x1 − R2·(x1 − x2), same for P, Q.
        // For poles near z = 1 the columns P and Q grow like ±k and cancel; the rewritten pair does not, which
        // keeps the look-ahead path's rounding error at the level of the sample-by-sample loop.
        for (int k = 0; k < lanes; k++)
        {
            double sumX = r1[k] + r2[k], sumY = p[k] + q[k];
            r2[k] = -r2[k];
            q[k] = -q[k];
            r1[k] = sumX;
            p[k] = sumY;
        }

        _columns[lanes] = ToVector(r1, column);
        _columns[lanes + 1] = ToVector(r2, column);
        _columns[lanes + 2] = ToVector(p, column);
        _columns[lanes + 3] = ToVector(q, column);
    }

    private static void Respond(in BiquadCoefficients c, Span<double> v, double f0, double f1, double f2, double y1, double y2)
    {
        for (int k = 0; k < v.Length; k++)
        {
            double f = k == 0 ? f0 : k == 1 ? f1 : k == 2 ? f2 : 0.0;
            double y = f - c.A1 * y1 - c.A2 * y2;
            v[k] = y;
            y2 = y1;
            y1 = y;
        }
    }

    private static Vector256<T> ToVector(ReadOnlySpan<double> values, Span<T> scratch)
    {
        for (int k = 0; k < values.Length; k++) scratch[k] = T.CreateTruncating(values[k]);
        return Vector256.Create((ReadOnlySpan<T>)scratch);
    }

    /// <summary>Filters <paramref name="samples"/> in place; <paramref name="state"/> is x1, x2, y1, y2.</summary>
    public void Process(ref T state, Span<T> samples)
    {
        int done = 0;
        if (IsBlockPathAvailable && samples.Length >= Lanes)
            done = ProcessBlocks(ref state, samples);
        ProcessScalar(ref state, samples.Slice(done));
    }

    /// <summary>Look-ahead loop over whole vectors; returns how many samples it consumed.</summary>
    private int ProcessBlocks(ref T state, Span<T> samples)
    {
        int lanes = Lanes;
        int end = samples.Length - samples.Length % lanes;
        ref T p = ref MemoryMarshal.GetReference(samples);
        ref Vector256<T> col = ref MemoryMarshal.GetArrayDataReference(_columns);
        Vector256<T> xSum = Unsafe.Add(ref col, lanes);
        Vector256<T> xDiff = Unsafe.Add(ref col, lanes + 1);
        Vector256<T> ySum = Unsafe.Add(ref col, lanes + 2);
        Vector256<T> yDiff = Unsafe.Add(ref col, lanes + 3);

        T x1 = state, x2 = Unsafe.Add(ref state, 1);
        Vector256<T> y1 = Vector256.Create(Unsafe.Add(ref state, 2));
        Vector256<T> y2 = Vector256.Create(Unsafe.Add(ref state, 3));

        for (int i = 0; i < end; i += lanes)
        {
            ref T block = ref Unsafe.Add(ref p, i);
            // Feed-forward part: independent of earlier outputs, so it runs ahead of the recurrence.
            Vector256<T> w = MulAdd(xDiff, Vector256.Create(x1 - x2), Vector256.Create(x1) * xSum);
            for (int j = 0; j < lanes; j++)
                w = MulAdd(Unsafe.Add(ref col, j), Vector256.Create(Unsafe.Add(ref block, j)), w);
            // Read before the store below: in place, these slots are about to hold outputs.
            x1 = Unsafe.Add(ref block, lanes - 1);
            x2 = Unsafe.Add(ref block, lanes - 2);

            Vector256<T> y = MulAdd(yDiff, y1 - y2, MulAdd(ySum, y1, w));
            y.StoreUnsafe(ref block);
            y1 = BroadcastLane(y, lanes - 1);
            y2 = BroadcastLane(y, lanes - 2);
        }

        state = x1;
        Unsafe.Add(ref state, 1) = x2;
        Unsafe.Add(ref state, 2) = y1.ToScalar();
        Unsafe.Add(ref state, 3) = y2.ToScalar();
        return end;
    }

    private void ProcessScalar(ref T state, Span<T> samples)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MulAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
            return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> BroadcastLane(Vector256<T> v, int lane)
    {
        if (typeof(T) == typeof(float))
            return Avx2.PermuteVar8x32(v.AsSingle(), Vector256.Create(lane)).As<float, T>();
        if (typeof(T) == typeof(double))
            return Avx2.PermuteVar8x32(v.AsSingle(), Vector256.Create(2 * lane, 2 * lane + 1, 2 * lane, 2 * lane + 1, 2 * lane, 2 * lane + 1, 2 * lane, 2 * lane + 1)).As<float, T>();
        return Vector256.Create(v.GetElement(lane));
    }
}
