using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// this way it stays within ~6x of a naive double loop, i.e.
/// ~1e−11 of full scale even for 40 Hz, Q 6 bands. Two channels run interleaved in one loop so each
/// hides the other's carry latency.</para>
/// </remarks>
internal sealed class BiquadSection
{
    /// <summary>Lanes of the block loop on this machine (8 with AVX-512, 4 with AVX2+FMA, 0 = scalar only).</summary>
    public static readonly int Lanes = Double512.IsSupported ? Double512.Count : Double256.IsSupported ? Double256.Count : 0;

    /// <summary>
    /// Length of the stored columns: 8 whenever a block loop exists. The AVX2 pair loop takes 8 frames per step in two
    /// 4-wide halves (the AVX-512 step's arithmetic, lane for lane), and the 4-wide loops read the first halves, which
    /// are exactly the 4-lane columns (the same recurrences, cut short).
    /// </summary>
    internal static readonly int ColumnLanes = Lanes > 0 ? 8 : 0;

    // Column storage, L = ColumnLanes (8): [L−1 zeros, g_0 … g_{L−1}] then C1 (L doubles) then C2 (L doubles). The
    // Toeplitz columns G_j (G_j[k] = g[k−j] for k ≥ j, else 0) are the L-wide windows starting at L−1−j of the first
    // part, so only g is written per update (L values, not L² of a stored matrix); a 4-wide loop reads the first 4 of
    // each. Then one unused slot and b1, b2 (at 4L) for the AVX2 pair loops, which read them (and the G windows) from
    // memory each step instead of holding them in registers.
    private readonly double[] _columns = new double[Math.Max(ColumnLanes, 1) * 4 + 2];
    private double _b0 = 1, _b1, _b2, _a1, _a2;

    public void Set(in BiquadCoefficients c)
    {
        _b0 = c.B0; _b1 = c.B1; _b2 = c.B2; _a1 = c.A1; _a2 = c.A2;
        if (ColumnLanes == 0) return;
        // One section through the four-lane path (lane 0; the other lanes compute and are dropped): one copy of the
        // column recurrences for a single stage and for a chain's four moving bands.
        BiquadSection self = this;
        var lanes = new SectionQuad(Vector256.Create(c.B0), Vector256.Create(c.B1), Vector256.Create(c.B2),
            Vector256.Create(c.A1), Vector256.Create(c.A2));
        SetQuad(new ReadOnlySpan<BiquadSection>(ref self), 1, lanes);
    }

    /// <summary>Offset of b1 (b2 follows) in the column storage.</summary>
    private static int ScalarOffset(int lanes) => 4 * lanes;

    /// <summary>
    /// <see cref="Set"/> for up to four sections at once, lane l of <paramref name="c"/> into <paramref name="sections"/>[l]
    /// for each set bit l of <paramref name="mask"/>, with the columns computed for the four lanes in one pass (lane =
    /// section): one recurrence's latency for four sections instead of four.
    /// </summary>
    /// <remarks>
    /// Both sequences obey v[k] = f[k] − a1·v[k−1] − a2·v[k−2] from rest: g forced by (b0, b1, b2) at x[n], and h (C1,
    /// the response to s1 at y[n], an impulse) forced by (1, 0, 0); C2 responds to s2 at y[n+1], the same impulse one
    /// sample later, so C2[k] = C1[k−1] exactly. Each step is two fused multiply-adds (one rounding each), the forced
    /// steps written out with exactly the operations of the general one. This runs on every coefficient change (per
    /// 32-frame sub-block while a band moves). An earlier version evaluated the columns in double-double; the accuracy
    /// tests measure the same bounds with either (40 Hz / Q 6 bands: 5.8x a naive double loop's error here vs 5.2x,
    /// bound 8x; chain vs reference 2.5e−13, bound 1e−12).
    /// </remarks>
    public static void SetQuad(ReadOnlySpan<BiquadSection> sections, int mask, in SectionQuad c)
    {
        if (ColumnLanes != 8)
        {
            for (int l = 0; l < 4; l++)
            {
                if ((mask & (1 << l)) == 0) continue;
                var lane = c[l];
                var section = sections[l];
                section._b0 = lane.B0; section._b1 = lane.B1; section._b2 = lane.B2; section._a1 = lane.A1; section._a2 = lane.A2;
            }
            return;
        }

        Vector256<double> zero = Vector256<double>.Zero;
        Vector256<double> na1 = -c.A1, na2 = -c.A2;
        Vector256<double> g0 = Vector256.FusedMultiplyAdd(na1, zero, Vector256.FusedMultiplyAdd(na2, zero, c.B0));
        Vector256<double> h0 = Vector256.FusedMultiplyAdd(na1, zero, Vector256.FusedMultiplyAdd(na2, zero, Vector256<double>.One));
        Vector256<double> g1 = Vector256.FusedMultiplyAdd(na1, g0, Vector256.FusedMultiplyAdd(na2, zero, c.B1));
        Vector256<double> h1 = Vector256.FusedMultiplyAdd(na1, h0, Vector256.FusedMultiplyAdd(na2, zero, zero));
        Vector256<double> g2 = Vector256.FusedMultiplyAdd(na1, g1, Vector256.FusedMultiplyAdd(na2, g0, c.B2));
        Vector256<double> h2 = Vector256.FusedMultiplyAdd(na1, h1, Vector256.FusedMultiplyAdd(na2, h0, zero));
        Vector256<double> g3 = Vector256.FusedMultiplyAdd(na1, g2, Vector256.FusedMultiplyAdd(na2, g1, zero));
        Vector256<double> h3 = Vector256.FusedMultiplyAdd(na1, h2, Vector256.FusedMultiplyAdd(na2, h1, zero));
        Vector256<double> g4 = Vector256.FusedMultiplyAdd(na1, g3, Vector256.FusedMultiplyAdd(na2, g2, zero));
        Vector256<double> h4 = Vector256.FusedMultiplyAdd(na1, h3, Vector256.FusedMultiplyAdd(na2, h2, zero));
        Vector256<double> g5 = Vector256.FusedMultiplyAdd(na1, g4, Vector256.FusedMultiplyAdd(na2, g3, zero));
        Vector256<double> h5 = Vector256.FusedMultiplyAdd(na1, h4, Vector256.FusedMultiplyAdd(na2, h3, zero));
        Vector256<double> g6 = Vector256.FusedMultiplyAdd(na1, g5, Vector256.FusedMultiplyAdd(na2, g4, zero));
        Vector256<double> h6 = Vector256.FusedMultiplyAdd(na1, h5, Vector256.FusedMultiplyAdd(na2, h4, zero));
        Vector256<double> g7 = Vector256.FusedMultiplyAdd(na1, g6, Vector256.FusedMultiplyAdd(na2, g5, zero));
        Vector256<double> h7 = Vector256.FusedMultiplyAdd(na1, h6, Vector256.FusedMultiplyAdd(na2, h5, zero));

        // Rows per section: gLo[l] = (g0, g1, g2, g3) of lane l, and so on. (Columns exist only with 256-bit vectors, so AVX.)
        Transpose(g0, g1, g2, g3, out var gLo0, out var gLo1, out var gLo2, out var gLo3);
        Transpose(g4, g5, g6, g7, out var gHi0, out var gHi1, out var gHi2, out var gHi3);
        Transpose(h0, h1, h2, h3, out var hLo0, out var hLo1, out var hLo2, out var hLo3);
        Transpose(h4, h5, h6, h7, out var hHi0, out var hHi1, out var hHi2, out var hHi3);
        if ((mask & 1) != 0) sections[0].Install(c[0], gLo0, gHi0, hLo0, hHi0);
        if ((mask & 2) != 0) sections[1].Install(c[1], gLo1, gHi1, hLo1, hHi1);
        if ((mask & 4) != 0) sections[2].Install(c[2], gLo2, gHi2, hLo2, hHi2);
        if ((mask & 8) != 0) sections[3].Install(c[3], gLo3, gHi3, hLo3, hHi3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3,
        out Vector256<double> c0, out Vector256<double> c1, out Vector256<double> c2, out Vector256<double> c3)
    {
        Vector256<double> t0 = Avx.UnpackLow(r0, r1);  // r0[0] r1[0] r0[2] r1[2]
        Vector256<double> t1 = Avx.UnpackHigh(r0, r1); // r0[1] r1[1] r0[3] r1[3]
        Vector256<double> t2 = Avx.UnpackLow(r2, r3);
        Vector256<double> t3 = Avx.UnpackHigh(r2, r3);
        c0 = Avx.Permute2x128(t0, t2, 0x20);
        c1 = Avx.Permute2x128(t1, t3, 0x20);
        c2 = Avx.Permute2x128(t0, t2, 0x31);
        c3 = Avx.Permute2x128(t1, t3, 0x31);
    }

    /// <summary>Coefficients and precomputed columns (g = gLo‖gHi, h = hLo‖hHi) in the 8-lane storage layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Install(in BiquadCoefficients c, Vector256<double> gLo, Vector256<double> gHi, Vector256<double> hLo, Vector256<double> hHi)
    {
        _b0 = c.B0; _b1 = c.B1; _b2 = c.B2; _a1 = c.A1; _a2 = c.A2;
        const int L = 8;
        ref double cols = ref MemoryMarshal.GetArrayDataReference(_columns);
        gLo.StoreUnsafe(ref cols, L - 1);
        gHi.StoreUnsafe(ref cols, L - 1 + 4);
        hLo.StoreUnsafe(ref cols, 2 * L - 1);
        hHi.StoreUnsafe(ref cols, 2 * L - 1 + 4);
        // C2[k] = C1[k − 1]: h one slot later; h7 lands in the unused slot after C2, C2[0] stays 0.
        hLo.StoreUnsafe(ref cols, 3 * L);
        hHi.StoreUnsafe(ref cols, 3 * L + 4);
        Unsafe.Add(ref cols, ScalarOffset(L)) = c.B1;
        Unsafe.Add(ref cols, ScalarOffset(L) + 1) = c.B2;
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

        if (done < samples.Length) ProcessScalar(ref state, samples.Slice(done));
    }

    /// <summary>Filters two equally long channels in place in one interleaved loop.</summary>
    public void ProcessPair(ref double stateA, Span<double> a, ref double stateB, Span<double> b)
    {
        int done = 0;
        if (a.Length == b.Length && a.Length >= Lanes && Lanes > 0)
        {
            if (Double512.IsSupported)
            {
                done = ProcessBlocksPair<Double512>(ref stateA, a, ref stateB, b);
            }
            else
            {
                done = ProcessBlocksPair256x8(ref stateA, a, ref stateB, b);
                if (a.Length - done >= 4) done += ProcessBlocksPair256(ref stateA, a.Slice(done), ref stateB, b.Slice(done));
            }
        }

        if (done == a.Length && done == b.Length) return;
        ProcessScalar(ref stateA, a.Slice(done));
        ProcessScalar(ref stateB, b.Slice(done));
    }

    /// <summary>
    /// <see cref="ProcessBlocksPair{TVec}"/> for 4 lanes, written for 16 vector registers (AVX2, the NativeAOT bundle's
    /// x86-64-v3): the same operations in the same order, so the same results bit for bit, with fewer values live
    /// across the loop. The generic form holds G0…G3, C1, C2, −a1, −a2, b1, b2 and per channel two broadcast outputs
    /// and two inputs (18 registers before any temporary) and spilled accumulators and columns to the stack every
    /// step. Here the G windows and b1, b2 are loaded where they are used (the in-place stores keep the JIT from
    /// hoisting them), and each channel carries one vector, [t1, t2, y[n−2], y[n−1]] with t1 = b1·x[n−1] + b2·x[n−2] and
    /// t2 = b2·x[n−1] (the input parts of s1 and s2, computed as soon as the inputs are read): 4 constants + 2 carries.
    /// </summary>
    private int ProcessBlocksPair256(ref double stateA, Span<double> a, ref double stateB, Span<double> b)
    {
        const int L = 4;
        int end = a.Length - a.Length % L;
        if (end == 0) return 0;
        ref double cols = ref MemoryMarshal.GetArrayDataReference(_columns);
        Vector256<double> c1 = Vector256.LoadUnsafe(ref cols, 2 * 8 - 1); // first halves of the 8-lane C1, C2
        Vector256<double> c2 = Vector256.LoadUnsafe(ref cols, 3 * 8 - 1);
        Vector256<double> negA1 = Vector256.Create(-_a1);
        Vector256<double> negA2 = Vector256.Create(-_a2);
        double b1 = _b1, b2 = _b2;

        Vector256<double> carryA = Carry256(b1, b2, stateA, Unsafe.Add(ref stateA, 1), Unsafe.Add(ref stateA, 2), Unsafe.Add(ref stateA, 3));
        Vector256<double> carryB = Carry256(b1, b2, stateB, Unsafe.Add(ref stateB, 1), Unsafe.Add(ref stateB, 2), Unsafe.Add(ref stateB, 3));
        ref double pa = ref MemoryMarshal.GetReference(a);
        ref double pb = ref MemoryMarshal.GetReference(b);

        int last = end - L;
        for (int i = 0; i < last; i += L)
        {
            carryA = Step256(ref Unsafe.Add(ref pa, i), ref cols, carryA, c1, c2, negA1, negA2);
            carryB = Step256(ref Unsafe.Add(ref pb, i), ref cols, carryB, c1, c2, negA1, negA2);
        }

        // The last step overwrites the inputs the state keeps: read them first.
        double xa1 = Unsafe.Add(ref pa, end - 1), xa2 = Unsafe.Add(ref pa, end - 2);
        double xb1 = Unsafe.Add(ref pb, end - 1), xb2 = Unsafe.Add(ref pb, end - 2);
        carryA = Step256(ref Unsafe.Add(ref pa, last), ref cols, carryA, c1, c2, negA1, negA2);
        carryB = Step256(ref Unsafe.Add(ref pb, last), ref cols, carryB, c1, c2, negA1, negA2);

        stateA = xa1; Unsafe.Add(ref stateA, 1) = xa2;
        Unsafe.Add(ref stateA, 2) = carryA.GetElement(3); Unsafe.Add(ref stateA, 3) = carryA.GetElement(2);
        stateB = xb1; Unsafe.Add(ref stateB, 1) = xb2;
        Unsafe.Add(ref stateB, 2) = carryB.GetElement(3); Unsafe.Add(ref stateB, 3) = carryB.GetElement(2);
        return end;
    }

    /// <summary>The carried vector [t1, t2, y2, y1] of <see cref="ProcessBlocksPair256"/> from a DF-I history.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Carry256(double b1, double b2, double x1, double x2, double y1, double y2)
        => Vector256.Create(b1 * x1 + b2 * x2, b2 * x1, y2, y1);

    /// <summary>One 4-frame step of <see cref="ProcessBlocksPair256"/>: ChannelCarry.Step's arithmetic, operation for operation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Step256(ref double block, ref double cols, Vector256<double> carry,
        Vector256<double> c1, Vector256<double> c2, Vector256<double> negA1, Vector256<double> negA2)
    {
        const int L = 4;
        // Transposed-form states at the block start: the recurrence, so first.
        Vector256<double> y1 = Avx2.Permute4x64(carry, 0b11_11_11_11);
        Vector256<double> y2 = Avx2.Permute4x64(carry, 0b10_10_10_10);
        Vector256<double> s2 = Fma.MultiplyAdd(negA2, y1, Avx2.Permute4x64(carry, 0b01_01_01_01));
        Vector256<double> s1 = Fma.MultiplyAdd(negA1, y1, Fma.MultiplyAdd(negA2, y2, Avx2.Permute4x64(carry, 0b00_00_00_00)));

        // Feed-forward part; G_j is the window at 8 − 1 − j (8-lane layout, first half).
        Vector256<double> w0 = Vector256.LoadUnsafe(ref cols, 7) * Vector256.Create(block);
        Vector256<double> w1 = Vector256.LoadUnsafe(ref cols, 6) * Vector256.Create(Unsafe.Add(ref block, 1));
        w0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 5), Vector256.Create(Unsafe.Add(ref block, 2)), w0);
        w1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 4), Vector256.Create(Unsafe.Add(ref block, 3)), w1);
        Vector256<double> w = w0 + w1;

        // The next step's input terms, read before the store below (in place, these slots are about to hold outputs).
        double x1 = Unsafe.Add(ref block, L - 1), x2 = Unsafe.Add(ref block, L - 2);
        double b1 = Unsafe.Add(ref cols, ScalarOffset(8)), b2 = Unsafe.Add(ref cols, ScalarOffset(8) + 1);
        Vector128<double> t = Vector128.Create(b1 * x1 + b2 * x2, b2 * x1);

        Vector256<double> y = Fma.MultiplyAdd(c1, s1, Fma.MultiplyAdd(c2, s2, w));
        y.StoreUnsafe(ref block);
        return Avx.Blend(y, t.ToVector256Unsafe(), 0b0011);
    }

    /// <summary>
    /// The AVX2 pair loop, 8 frames per step: the AVX-512 step (<see cref="ChannelCarry{TVec}"/> on <see cref="Double512"/>)
    /// computed in two 4-wide halves, lane for lane the same operations, so the same values (the low half skips the
    /// products with the four all-zero column halves, which can only change the sign of an exact zero). The recurrence
    /// is latency-bound: a step costs about the same time at 4 or 8 frames, so 8 frames per step nearly halve the
    /// 4-lane loop's time. Registers as in <see cref="ProcessBlocksPair256"/>: the G windows and the low halves of C1,
    /// C2 are loaded where used; −a1, −a2 and the high halves of C1, C2 stay; each channel carries [t1, t2, y2, y1].
    /// </summary>
    private int ProcessBlocksPair256x8(ref double stateA, Span<double> a, ref double stateB, Span<double> b)
    {
        const int L = 8;
        int end = a.Length - a.Length % L;
        if (end == 0) return 0;
        ref double cols = ref MemoryMarshal.GetArrayDataReference(_columns);
        Vector256<double> c1Hi = Vector256.LoadUnsafe(ref cols, 2 * L - 1 + 4);
        Vector256<double> c2Hi = Vector256.LoadUnsafe(ref cols, 3 * L - 1 + 4);
        Vector256<double> negA1 = Vector256.Create(-_a1);
        Vector256<double> negA2 = Vector256.Create(-_a2);
        double b1 = _b1, b2 = _b2;

        Vector256<double> carryA = Carry256(b1, b2, stateA, Unsafe.Add(ref stateA, 1), Unsafe.Add(ref stateA, 2), Unsafe.Add(ref stateA, 3));
        Vector256<double> carryB = Carry256(b1, b2, stateB, Unsafe.Add(ref stateB, 1), Unsafe.Add(ref stateB, 2), Unsafe.Add(ref stateB, 3));
        ref double pa = ref MemoryMarshal.GetReference(a);
        ref double pb = ref MemoryMarshal.GetReference(b);

        int last = end - L;
        for (int i = 0; i < last; i += L)
        {
            carryA = Step256x8(ref Unsafe.Add(ref pa, i), ref cols, carryA, c1Hi, c2Hi, negA1, negA2);
            carryB = Step256x8(ref Unsafe.Add(ref pb, i), ref cols, carryB, c1Hi, c2Hi, negA1, negA2);
        }

        // The last step overwrites the inputs the state keeps: read them first.
        double xa1 = Unsafe.Add(ref pa, end - 1), xa2 = Unsafe.Add(ref pa, end - 2);
        double xb1 = Unsafe.Add(ref pb, end - 1), xb2 = Unsafe.Add(ref pb, end - 2);
        carryA = Step256x8(ref Unsafe.Add(ref pa, last), ref cols, carryA, c1Hi, c2Hi, negA1, negA2);
        carryB = Step256x8(ref Unsafe.Add(ref pb, last), ref cols, carryB, c1Hi, c2Hi, negA1, negA2);

        stateA = xa1; Unsafe.Add(ref stateA, 1) = xa2;
        Unsafe.Add(ref stateA, 2) = carryA.GetElement(3); Unsafe.Add(ref stateA, 3) = carryA.GetElement(2);
        stateB = xb1; Unsafe.Add(ref stateB, 1) = xb2;
        Unsafe.Add(ref stateB, 2) = carryB.GetElement(3); Unsafe.Add(ref stateB, 3) = carryB.GetElement(2);
        return end;
    }

    /// <summary>One 8-frame step of <see cref="ProcessBlocksPair256x8"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Step256x8(ref double block, ref double cols, Vector256<double> carry,
        Vector256<double> c1Hi, Vector256<double> c2Hi, Vector256<double> negA1, Vector256<double> negA2)
    {
        // Transposed-form states at the block start (the recurrence, so first); y1, y2 are lanes 7, 6 of the last output.
        Vector256<double> y1 = Avx2.Permute4x64(carry, 0b11_11_11_11);
        Vector256<double> y2 = Avx2.Permute4x64(carry, 0b10_10_10_10);
        Vector256<double> s2 = Fma.MultiplyAdd(negA2, y1, Avx2.Permute4x64(carry, 0b01_01_01_01));
        Vector256<double> s1 = Fma.MultiplyAdd(negA1, y1, Fma.MultiplyAdd(negA2, y2, Avx2.Permute4x64(carry, 0b00_00_00_00)));

        // Feed-forward, G_j = the 8-wide window at 7 − j: its low half at 7 − j, its high half at 11 − j. The low
        // halves of G4…G7 are all zero (G_j[k] = 0 for k < j), so the low half stops after G3.
        Vector256<double> x0 = Vector256.Create(block), x1 = Vector256.Create(Unsafe.Add(ref block, 1));
        Vector256<double> x2 = Vector256.Create(Unsafe.Add(ref block, 2)), x3 = Vector256.Create(Unsafe.Add(ref block, 3));
        Vector256<double> lo0 = Vector256.LoadUnsafe(ref cols, 7) * x0;
        Vector256<double> lo1 = Vector256.LoadUnsafe(ref cols, 6) * x1;
        Vector256<double> hi0 = Vector256.LoadUnsafe(ref cols, 11) * x0;
        Vector256<double> hi1 = Vector256.LoadUnsafe(ref cols, 10) * x1;
        lo0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 5), x2, lo0);
        lo1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 4), x3, lo1);
        hi0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 9), x2, hi0);
        hi1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 8), x3, hi1);
        hi0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 7), Vector256.Create(Unsafe.Add(ref block, 4)), hi0);
        hi1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 6), Vector256.Create(Unsafe.Add(ref block, 5)), hi1);
        hi0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 5), Vector256.Create(Unsafe.Add(ref block, 6)), hi0);
        hi1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 4), Vector256.Create(Unsafe.Add(ref block, 7)), hi1);
        Vector256<double> wLo = lo0 + lo1;
        Vector256<double> wHi = hi0 + hi1;

        // The next step's input terms, read before the stores below (in place, these slots are about to hold outputs).
        double xl1 = Unsafe.Add(ref block, 7), xl2 = Unsafe.Add(ref block, 6);
        double b1 = Unsafe.Add(ref cols, ScalarOffset(8)), b2 = Unsafe.Add(ref cols, ScalarOffset(8) + 1);
        Vector128<double> t = Vector128.Create(b1 * xl1 + b2 * xl2, b2 * xl1);

        Vector256<double> yHi = Fma.MultiplyAdd(c1Hi, s1, Fma.MultiplyAdd(c2Hi, s2, wHi));
        Vector256<double> yLo = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 15), s1, Fma.MultiplyAdd(Vector256.LoadUnsafe(ref cols, 23), s2, wLo));
        yLo.StoreUnsafe(ref block);
        yHi.StoreUnsafe(ref Unsafe.Add(ref block, 4));
        return Avx.Blend(yHi, t.ToVector256Unsafe(), 0b0011);
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
            const int L = 8; // the storage layout (ColumnLanes); a 4-wide vector reads the first half of each column
            // G_j is the window at L − 1 − j (see the column storage layout).
            G0 = TVec.Load(ref Unsafe.Add(ref cols, L - 1));
            G1 = TVec.Load(ref Unsafe.Add(ref cols, L - 2));
            G2 = TVec.Load(ref Unsafe.Add(ref cols, L - 3));
            G3 = TVec.Load(ref Unsafe.Add(ref cols, L - 4));
            if (l == 8)
            {
                G4 = TVec.Load(ref Unsafe.Add(ref cols, 3));
                G5 = TVec.Load(ref Unsafe.Add(ref cols, 2));
                G6 = TVec.Load(ref Unsafe.Add(ref cols, 1));
                G7 = TVec.Load(ref cols);
            }

            C1 = TVec.Load(ref Unsafe.Add(ref cols, 2 * L - 1));
            C2 = TVec.Load(ref Unsafe.Add(ref cols, 3 * L - 1));
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
