using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// One second-order section, always computed in double precision, and the loops that apply it in place to a
/// span of doubles with a direct-form-I history (x1, x2, y1, y2) passed by reference.
/// </summary>
/// <remarks>
/// <para>Why double even for float audio: the rounding error a recursive section injects is amplified by the
/// noise gain of its poles, which for low or sharp bands reaches the hundreds; in float that is ~1e−4 of full
/// scale (audible as a noise floor at −80 dB). In double it is ~1e−13, and on 512-bit hardware the double
/// look-ahead loop costs about what a float one of 256 bits would.</para>
/// <para>A biquad on one channel is a serial recurrence: sample by sample, each output waits on the previous one
/// through two multiply-adds. The block loop breaks that chain with look-ahead: for L lanes,</para>
/// <code>y[n+k] = Σ_{j≤k} g[k−j]·x[n+j] + C1[k]·s1 + C2[k]·s2</code>
/// <para>where g is the section's impulse response, s1 = b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2] and
/// s2 = b2·x[n−1] − a2·y[n−1] are the transposed-form states at the block start, and C1, C2 the all-pole
/// responses to them. The x terms do not depend on earlier outputs, so they issue ahead; only y[n−1], y[n−2]
/// (two lanes of the previous vector) are carried. Folding the history into s1, s2 before it meets the
/// columns matters: the columns grow like k for poles near z = 1, and expanding them over the four DF-I
/// history values separately makes large terms cancel, costing ~10x the rounding error of a scalar loop;
/// this way (with the columns evaluated in double-double) it stays within ~4x of a naive double loop, i.e.
/// ~1e−12 of full scale even for 40 Hz, Q 6 bands. Two channels run interleaved in one loop so each
/// hides the other's carry latency.</para>
/// </remarks>
internal sealed class BiquadSection
{
    /// <summary>Lanes of the block loop on this machine (8 with AVX-512, 4 with AVX2+FMA, 0 = scalar only).</summary>
    public static readonly int Lanes = Double512.IsSupported ? Double512.Count : Double256.IsSupported ? Double256.Count : 0;

    // Column storage, L = Lanes: [L−1 zeros, g_0 … g_{L−1}] then C1 (L doubles) then C2 (L doubles). The Toeplitz
    // columns G_j (G_j[k] = g[k−j] for k ≥ j, else 0) are the L-wide windows starting at L−1−j of the first part, so
    // only g is written per update (L values, not L² of a stored matrix).
    private readonly double[] _columns = new double[Math.Max(Lanes, 1) * 4];
    private double _b0 = 1, _b1, _b2, _a1, _a2;

    public void Set(in BiquadCoefficients c)
    {
        _b0 = c.B0; _b1 = c.B1; _b2 = c.B2; _a1 = c.A1; _a2 = c.A2;
        if (Lanes > 0) ComputeColumns(c, Lanes);
    }

    /// <summary>Offset of window G_j in the column storage.</summary>
    internal static int WindowOffset(int lanes, int j) => lanes - 1 - j;

    private void ComputeColumns(in BiquadCoefficients c, int lanes)
    {
        Span<double> cols = _columns;
        // Each sequence obeys v[k] = f[k] − a1·v[k−1] − a2·v[k−2]; g is forced by (b0, b1, b2) at x[n], C1 by s1 at
        // y[n] (an impulse), and C2 by s2 at y[n+1] — the same impulse one sample later, so C2[k] = C1[k−1] exactly.
        Span<double> g = cols.Slice(lanes - 1, lanes);
        Span<double> c1 = cols.Slice(2 * lanes - 1, lanes);
        Span<double> c2 = cols.Slice(3 * lanes - 1, lanes);
        cols[..(lanes - 1)].Clear();
        RespondPair(c, g, c1);
        c2[0] = 0.0;
        c1[..(lanes - 1)].CopyTo(c2[1..]);
    }

    /// <summary>
    /// Both sequences, v[k] = f[k] − a1·v[k−1] − a2·v[k−2] from rest, g forced by (b0, b1, b2) and h by (1, 0, 0), each
    /// evaluated in double-double and rounded once (interleaved: the two recurrences hide each other's latency). The
    /// columns act like coefficients of the block form; a few ulps of drift in them would shift a pole near z = 1
    /// measurably, so they are made as exact as the double coefficients themselves.
    /// </summary>
    private static void RespondPair(in BiquadCoefficients c, Span<double> g, Span<double> h)
    {
        double na1 = -c.A1, na2 = -c.A2;
        double gh1 = 0, gl1 = 0, gh2 = 0, gl2 = 0; // g[k−1], g[k−2] as hi + lo
        double hh1 = 0, hl1 = 0, hh2 = 0, hl2 = 0; // h[k−1], h[k−2]
        for (int k = 0; k < g.Length; k++)
        {
            double fg = k == 0 ? c.B0 : k == 1 ? c.B1 : k == 2 ? c.B2 : 0.0;
            double fh = k == 0 ? 1.0 : 0.0;
            Step(na1, na2, fg, ref gh1, ref gl1, ref gh2, ref gl2, out g[k]);
            Step(na1, na2, fh, ref hh1, ref hl1, ref hh2, ref hl2, out h[k]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(double na1, double na2, double f, ref double h1, ref double l1, ref double h2, ref double l2, out double v)
    {
        // p = −a1·v1 and q = −a2·v2, each exactly as hi + error, plus the lo parts' products.
        double p = na1 * h1, pe = Math.FusedMultiplyAdd(na1, h1, -p) + na1 * l1;
        double q = na2 * h2, qe = Math.FusedMultiplyAdd(na2, h2, -q) + na2 * l2;
        (double s, double se) = TwoSum(p, q);
        (double t, double te) = TwoSum(s, f);
        double lo = se + te + pe + qe;
        double hi = t + lo;
        lo -= hi - t;
        v = hi + lo;
        h2 = h1; l2 = l1;
        h1 = hi; l1 = lo;
    }

    private static (double Sum, double Error) TwoSum(double a, double b)
    {
        double sum = a + b;
        double bb = sum - a;
        return (sum, (a - (sum - bb)) + (b - bb));
    }

    /// <summary>Filters one channel in place; <paramref name="state"/> is x1, x2, y1, y2.</summary>
    public void Process(ref double state, Span<double> samples)
    {
        // The unrolled block step covers exactly 4 or 8 lanes.
        System.Diagnostics.Debug.Assert(Lanes is 0 or 4 or 8);
        int done = 0;
        if (samples.Length >= Lanes && Lanes > 0)
        {
            done = Double512.IsSupported
                ? ProcessBlocks<Double512>(ref state, samples)
                : ProcessBlocks<Double256>(ref state, samples);
        }

        ProcessScalar(ref state, samples.Slice(done));
    }

    /// <summary>Filters two equally long channels in place in one interleaved loop.</summary>
    public void ProcessPair(ref double stateA, Span<double> a, ref double stateB, Span<double> b)
    {
        int done = 0;
        if (a.Length == b.Length && a.Length >= Lanes && Lanes > 0)
        {
            done = Double512.IsSupported
                ? ProcessBlocksPair<Double512>(ref stateA, a, ref stateB, b)
                : ProcessBlocksPair<Double256>(ref stateA, a, ref stateB, b);
        }

        ProcessScalar(ref stateA, a.Slice(done));
        ProcessScalar(ref stateB, b.Slice(done));
    }

    private int ProcessBlocks<TVec>(ref double state, Span<double> samples) where TVec : struct, IDoubleVector<TVec>
    {
        int lanes = TVec.Count;
        int end = samples.Length - samples.Length % lanes;
        var columns = new BlockColumns<TVec>(ref MemoryMarshal.GetArrayDataReference(_columns), _b1, _b2, _a1, _a2);
        var channel = new ChannelCarry<TVec>(ref state);
        ref double p = ref MemoryMarshal.GetReference(samples);

        for (int i = 0; i < end; i += lanes)
            channel.Step(ref Unsafe.Add(ref p, i), columns);

        channel.Save(ref state);
        return end;
    }

    private int ProcessBlocksPair<TVec>(ref double stateA, Span<double> a, ref double stateB, Span<double> b)
        where TVec : struct, IDoubleVector<TVec>
    {
        int lanes = TVec.Count;
        int end = a.Length - a.Length % lanes;
        var columns = new BlockColumns<TVec>(ref MemoryMarshal.GetArrayDataReference(_columns), _b1, _b2, _a1, _a2);
        var channelA = new ChannelCarry<TVec>(ref stateA);
        var channelB = new ChannelCarry<TVec>(ref stateB);
        ref double pa = ref MemoryMarshal.GetReference(a);
        ref double pb = ref MemoryMarshal.GetReference(b);

        for (int i = 0; i < end; i += lanes)
        {
            channelA.Step(ref Unsafe.Add(ref pa, i), columns);
            channelB.Step(ref Unsafe.Add(ref pb, i), columns);
        }

        channelA.Save(ref stateA);
        channelB.Save(ref stateB);
        return end;
    }

    private void ProcessScalar(ref double state, Span<double> samples)
    {
        ref double x1r = ref state;
        ref double x2r = ref Unsafe.Add(ref state, 1);
        ref double y1r = ref Unsafe.Add(ref state, 2);
        ref double y2r = ref Unsafe.Add(ref state, 3);
        double x1 = x1r, x2 = x2r, y1 = y1r, y2 = y2r;
        double b0 = _b0, b1 = _b1, b2 = _b2, a1 = _a1, a2 = _a2;

        ref double p = ref MemoryMarshal.GetReference(samples);
        for (int i = 0; i < samples.Length; i++)
        {
            double x = Unsafe.Add(ref p, i);
            double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            Unsafe.Add(ref p, i) = y;
            x2 = x1; x1 = x;
            y2 = y1; y1 = y;
        }

        x1r = x1; x2r = x2; y1r = y1; y2r = y2;
    }

    /// <summary>
    /// All columns, loaded into locals once per call. Loading them inside the loop would cost a vector load per
    /// FMA (the JIT cannot hoist them past the in-place stores), which on one load port pair is the bottleneck.
    /// </summary>
    private readonly struct BlockColumns<TVec> where TVec : struct, IDoubleVector<TVec>
    {
        public readonly TVec G0, G1, G2, G3, G4, G5, G6, G7, C1, C2, NegA1, NegA2;
        public readonly double B1, B2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public BlockColumns(ref double cols, double b1, double b2, double a1, double a2)
        {
            int l = TVec.Count;
            // G_j is the window at l − 1 − j (see the column storage layout).
            G0 = TVec.Load(ref Unsafe.Add(ref cols, l - 1));
            G1 = TVec.Load(ref Unsafe.Add(ref cols, l - 2));
            G2 = TVec.Load(ref Unsafe.Add(ref cols, l - 3));
            G3 = TVec.Load(ref Unsafe.Add(ref cols, l - 4));
            if (l == 8)
            {
                G4 = TVec.Load(ref Unsafe.Add(ref cols, 3));
                G5 = TVec.Load(ref Unsafe.Add(ref cols, 2));
                G6 = TVec.Load(ref Unsafe.Add(ref cols, 1));
                G7 = TVec.Load(ref cols);
            }

            C1 = TVec.Load(ref Unsafe.Add(ref cols, 2 * l - 1));
            C2 = TVec.Load(ref Unsafe.Add(ref cols, 3 * l - 1));
            NegA1 = TVec.Broadcast(-a1);
            NegA2 = TVec.Broadcast(-a2);
            B1 = b1;
            B2 = b2;
        }
    }

    /// <summary>What one channel carries from block to block: the last two inputs and outputs.</summary>
    private struct ChannelCarry<TVec> where TVec : struct, IDoubleVector<TVec>
    {
        private double _x1, _x2;
        private TVec _y1, _y2; // broadcast

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ChannelCarry(ref double state)
        {
            _x1 = state;
            _x2 = Unsafe.Add(ref state, 1);
            _y1 = TVec.Broadcast(Unsafe.Add(ref state, 2));
            _y2 = TVec.Broadcast(Unsafe.Add(ref state, 3));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step(ref double block, BlockColumns<TVec> k)
        {
            // Feed-forward part: independent of earlier outputs, so it runs ahead of the recurrence. Two
            // accumulators halve its own FMA chain (lanes is 4 or 8, a constant the JIT folds).
            TVec w0 = TVec.Multiply(k.G0, TVec.Broadcast(block));
            TVec w1 = TVec.Multiply(k.G1, TVec.Broadcast(Unsafe.Add(ref block, 1)));
            w0 = TVec.MulAdd(k.G2, TVec.Broadcast(Unsafe.Add(ref block, 2)), w0);
            w1 = TVec.MulAdd(k.G3, TVec.Broadcast(Unsafe.Add(ref block, 3)), w1);
            if (TVec.Count == 8)
            {
                w0 = TVec.MulAdd(k.G4, TVec.Broadcast(Unsafe.Add(ref block, 4)), w0);
                w1 = TVec.MulAdd(k.G5, TVec.Broadcast(Unsafe.Add(ref block, 5)), w1);
                w0 = TVec.MulAdd(k.G6, TVec.Broadcast(Unsafe.Add(ref block, 6)), w0);
                w1 = TVec.MulAdd(k.G7, TVec.Broadcast(Unsafe.Add(ref block, 7)), w1);
            }

            int lanes = TVec.Count;
            TVec w = TVec.Add(w0, w1);

            // Transposed-form states at the block start, from the carried direct-form history.
            TVec s2 = TVec.MulAdd(k.NegA2, _y1, TVec.Broadcast(k.B2 * _x1));
            TVec s1 = TVec.MulAdd(k.NegA1, _y1, TVec.MulAdd(k.NegA2, _y2, TVec.Broadcast(k.B1 * _x1 + k.B2 * _x2)));

            // Read before the store below: in place, these slots are about to hold outputs.
            _x1 = Unsafe.Add(ref block, lanes - 1);
            _x2 = Unsafe.Add(ref block, lanes - 2);

            TVec y = TVec.MulAdd(k.C1, s1, TVec.MulAdd(k.C2, s2, w));
            y.Store(ref block);
            _y1 = y.BroadcastLast();
            _y2 = y.BroadcastSecondLast();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Save(ref double state)
        {
            state = _x1;
            Unsafe.Add(ref state, 1) = _x2;
            Unsafe.Add(ref state, 2) = _y1.ToScalar();
            Unsafe.Add(ref state, 3) = _y2.ToScalar();
        }
    }
}
