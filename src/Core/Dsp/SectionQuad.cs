using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// The coefficients of four second-order sections, lane by lane (lane l is section l): what a chain's moving EQ bands
/// are designed into once per 32-frame sub-block, in one vector pass for four bands instead of one call per band.
/// </summary>
/// <remarks>
/// <para><see cref="Design"/> follows <see cref="BiquadDesign.Design"/>: the same cookbook sections
/// (<see cref="BiquadDesign.Section"/>, peaking scaled by A), clamps and identity results. sin/cos of ω0, A = 10^(dB/40)
/// and 1/(2Q) are evaluated for the four lanes at once (<see cref="SinCosToPi"/>, the runtime's vectorized <c>Exp</c>;
/// each within about an ulp of libm's; under NativeAOT the scalar <c>Math.Exp</c> is a P/Invoke into libm), then the
/// peaking section on vectors; any other type in a lane is the scalar <see cref="BiquadDesign.Section"/> on that
/// lane's values. A coefficient may differ from <see cref="BiquadDesign.Design"/>'s by a few ulps (relative 1e−15, as
/// the product by a rounded reciprocal and the vector exp round), far inside every response and reference bound.</para>
/// </remarks>
internal readonly struct SectionQuad
{
    public readonly Vector256<double> B0, B1, B2, A1, A2;

    // A = 10^(dB/40) = exp(dB·ln10/40), as BiquadDesign.
    private const double Ln10Over40 = 2.302585092994045684 / 40.0;

    public SectionQuad(Vector256<double> b0, Vector256<double> b1, Vector256<double> b2, Vector256<double> a1, Vector256<double> a2)
    {
        B0 = b0; B1 = b1; B2 = b2; A1 = a1; A2 = a2;
    }

    /// <summary>Lane <paramref name="lane"/> as one section.</summary>
    public BiquadCoefficients this[int lane]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get =>
            new(B0.GetElement(lane), B1.GetElement(lane), B2.GetElement(lane), A1.GetElement(lane), A2.GetElement(lane));
    }

    /// <summary>
    /// Designs four sections as <see cref="BiquadDesign.Design"/> would, lane by lane: <paramref name="types"/>[l] with
    /// frequency, Q and gain from lane l of the vectors. Lanes with a non-finite argument, an unknown type or a gained
    /// type (peaking, shelves) at exactly 0 dB are the identity, and so is every lane for a non-positive or non-finite
    /// rate.
    /// </summary>
    public static SectionQuad Design(ReadOnlySpan<FilterType> types, Vector256<double> frequencyHz, Vector256<double> q,
        Vector256<double> gainDb, double sampleRate)
    {
        var identity = new SectionQuad(Vector256<double>.One, default, default, default, default);
        if (types.Length < 4 || !double.IsFinite(sampleRate) || sampleRate <= 0.0) return identity;

        // Lanes that design nothing: non-finite arguments (x − x is NaN exactly for NaN and ±∞), unknown types, 0 dB gained types.
        Vector256<double> finite = Vector256.Equals((frequencyHz - frequencyHz) + (q - q) + (gainDb - gainDb), Vector256<double>.Zero);
        var f = Vector256.Min(Vector256.Max(frequencyHz, Vector256.Create(BiquadDesign.MinFrequencyRatio * sampleRate)),
            Vector256.Create(BiquadDesign.MaxFrequencyRatio * sampleRate));
        var qq = Vector256.Max(q, Vector256.Create(BiquadDesign.MinQ));
        var g = Vector256.Min(Vector256.Max(gainDb, Vector256.Create(-BiquadDesign.MaxGainDb)), Vector256.Create(BiquadDesign.MaxGainDb));
        // NaN lanes would turn the vector math's results into NaN; give them harmless values (they end as identity).
        f = Vector256.ConditionalSelect(finite, f, Vector256.Create(1000.0));
        qq = Vector256.ConditionalSelect(finite, qq, Vector256<double>.One);
        g = Vector256.ConditionalSelect(finite, g, Vector256<double>.Zero);

        (Vector256<double> sin, Vector256<double> cos) = SinCosToPi(f * Vector256.Create(2.0 * Math.PI / sampleRate));
        Vector256<double> alpha = sin * (Vector256.Create(0.5) / qq);
        Vector256<double> a = Vector256.Exp(g * Vector256.Create(Ln10Over40));

        // The peaking section scaled by A (BiquadDesign.Section, peakingScaledByA), operation for operation.
        Vector256<double> up = alpha * a;
        Vector256<double> b0 = a + up * a;
        Vector256<double> b1 = Vector256.Create(-2.0) * cos * a;
        Vector256<double> b2 = a - up * a;
        Vector256<double> a0 = a + alpha;
        Vector256<double> a2 = a - alpha;
        Vector256<double> inv = Vector256<double>.One / a0;
        b0 *= inv; b1 *= inv; b2 *= inv; a2 *= inv;
        Vector256<double> a1 = b1;

        // Identity or another type in a lane: replace that lane (rare: the chain's bands are mostly bells).
        bool allPeaking = true;
        for (int l = 0; l < 4; l++) allPeaking &= types[l] == FilterType.Peaking;
        // Masks are tested by their sign bits: an all-ones lane is a NaN as a double and never compares equal.
        if (allPeaking && Vector256.ExtractMostSignificantBits(finite) == 0b1111
            && Vector256.ExtractMostSignificantBits(Vector256.Equals(g, Vector256<double>.Zero)) == 0)
        {
            return new SectionQuad(b0, b1, b2, a1, a2);
        }
        return Patch(types, finite, cos, alpha, a, g, new SectionQuad(b0, b1, b2, a1, a2));
    }

    // π/2 in two parts: the high part has 32 significant bits, so k·high is exact for k ≤ 2 and x − k·high loses nothing.
    private const double PiOver2High = 1.5707963267341256;
    private const double PiOver2Low = 6.077100506506192e-11;

    /// <summary>
    /// sin and cos of every lane for 0 ≤ x ≤ π (the design's ω0 range, [2π·1e−5, 2π·0.49]) to about an ulp: x is reduced
    /// by the nearest multiple k of π/2 (k ≤ 2) to |r| ≤ π/4 and the Taylor series of sin and cos are summed to r¹⁷ and
    /// r¹⁸ (the next terms are below 1e−19). The general vectorized SinCos handles every double and costs about twice as
    /// much; it ran once per sub-block while bands move.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<double> Sin, Vector256<double> Cos) SinCosToPi(Vector256<double> x)
    {
        Vector256<double> k = Vector256.Round(x * Vector256.Create(2.0 / Math.PI));
        Vector256<double> r = Vector256.FusedMultiplyAdd(-k, Vector256.Create(PiOver2High), x);
        r = Vector256.FusedMultiplyAdd(-k, Vector256.Create(PiOver2Low), r);
        Vector256<double> z = r * r;

        Vector256<double> ps = Vector256.Create(1.0 / 355687428096000.0);                        // 1/17!
        ps = Vector256.FusedMultiplyAdd(ps, z, Vector256.Create(-1.0 / 1307674368000.0));        // 1/15!
        ps = Vector256.FusedMultiplyAdd(ps, z, Vector256.Create(1.0 / 6227020800.0));            // 1/13!
        ps = Vector256.FusedMultiplyAdd(ps, z, Vector256.Create(-1.0 / 39916800.0));             // 1/11!
        ps = Vector256.FusedMultiplyAdd(ps, z, Vector256.Create(1.0 / 362880.0));                // 1/9!
        ps = Vector256.FusedMultiplyAdd(ps, z, Vector256.Create(-1.0 / 5040.0));                 // 1/7!
        ps = Vector256.FusedMultiplyAdd(ps, z, Vector256.Create(1.0 / 120.0));                   // 1/5!
        ps = Vector256.FusedMultiplyAdd(ps, z, Vector256.Create(-1.0 / 6.0));                    // 1/3!
        Vector256<double> sin = Vector256.FusedMultiplyAdd(r * z, ps, r);

        Vector256<double> pc = Vector256.Create(-1.0 / 6402373705728000.0);                      // 1/18!
        pc = Vector256.FusedMultiplyAdd(pc, z, Vector256.Create(1.0 / 20922789888000.0));        // 1/16!
        pc = Vector256.FusedMultiplyAdd(pc, z, Vector256.Create(-1.0 / 87178291200.0));          // 1/14!
        pc = Vector256.FusedMultiplyAdd(pc, z, Vector256.Create(1.0 / 479001600.0));             // 1/12!
        pc = Vector256.FusedMultiplyAdd(pc, z, Vector256.Create(-1.0 / 3628800.0));              // 1/10!
        pc = Vector256.FusedMultiplyAdd(pc, z, Vector256.Create(1.0 / 40320.0));                 // 1/8!
        pc = Vector256.FusedMultiplyAdd(pc, z, Vector256.Create(-1.0 / 720.0));                  // 1/6!
        pc = Vector256.FusedMultiplyAdd(pc, z, Vector256.Create(1.0 / 24.0));                    // 1/4!
        pc = Vector256.FusedMultiplyAdd(pc, z, Vector256.Create(-0.5));
        Vector256<double> cos = Vector256.FusedMultiplyAdd(z, pc, Vector256<double>.One);

        // k = 0: (sin r, cos r); k = 1: (cos r, −sin r); k = 2: (−sin r, −cos r).
        Vector256<double> odd = Vector256.Equals(k, Vector256<double>.One);
        Vector256<double> two = Vector256.Equals(k, Vector256.Create(2.0));
        Vector256<double> s = Vector256.ConditionalSelect(odd, cos, sin);
        Vector256<double> c = Vector256.ConditionalSelect(odd, -sin, cos);
        return (Vector256.ConditionalSelect(two, -s, s), Vector256.ConditionalSelect(two, -c, c));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SectionQuad Patch(ReadOnlySpan<FilterType> types, Vector256<double> finite, Vector256<double> cos,
        Vector256<double> alpha, Vector256<double> a, Vector256<double> g, SectionQuad peaking)
    {
        Span<double> b0 = stackalloc double[4], b1 = stackalloc double[4], b2 = stackalloc double[4];
        Span<double> a1 = stackalloc double[4], a2 = stackalloc double[4];
        for (int l = 0; l < 4; l++)
        {
            FilterType type = types[l];
            bool gained = type is FilterType.Peaking or FilterType.LowShelf or FilterType.HighShelf;
            BiquadCoefficients c;
            if (finite.GetElement(l) == 0 || (uint)type > (uint)FilterType.AllPass || (gained && g.GetElement(l) == 0.0))
            {
                c = BiquadCoefficients.Identity;
            }
            else if (type == FilterType.Peaking)
            {
                c = peaking[l];
            }
            else
            {
                double al = a.GetElement(l);
                bool shelf = type is FilterType.LowShelf or FilterType.HighShelf;
                c = BiquadDesign.Section(type, cos.GetElement(l), alpha.GetElement(l), gained ? al : 1.0,
                    shelf ? Math.Sqrt(al) : 1.0, peakingScaledByA: true);
            }
            b0[l] = c.B0; b1[l] = c.B1; b2[l] = c.B2; a1[l] = c.A1; a2[l] = c.A2;
        }
        return new SectionQuad(Vector256.Create<double>(b0), Vector256.Create<double>(b1), Vector256.Create<double>(b2),
            Vector256.Create<double>(a1), Vector256.Create<double>(a2));
    }
}
