using System.Runtime.Intrinsics;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Dsp;

/// <summary>
/// The chain's four-band designer and column install against their definitions: <see cref="BiquadDesign.Design"/> lane by
/// lane, and <see cref="BiquadCascade{T}.SetStage(int, in BiquadCoefficients)"/> for the installed stages.
/// </summary>
public class SectionQuadTests
{
    private static void AssertClose(BiquadCoefficients expected, BiquadCoefficients actual, string what)
    {
        // A product by a rounded reciprocal and the vector exp may differ from the scalar path in the last bits.
        static void One(double e, double a, string name, string what) =>
            Assert.True(Math.Abs(e - a) <= 1e-13 * Math.Max(1.0, Math.Abs(e)), $"{what}: {name} {e:R} vs {a:R}");
        One(expected.B0, actual.B0, "B0", what);
        One(expected.B1, actual.B1, "B1", what);
        One(expected.B2, actual.B2, "B2", what);
        One(expected.A1, actual.A1, "A1", what);
        One(expected.A2, actual.A2, "A2", what);
    }

    private static SectionQuad Design(FilterType[] types, double[] f, double[] q, double[] g, double fs) =>
        SectionQuad.Design(types, Vector256.Create(f), Vector256.Create(q), Vector256.Create(g), fs);

    [Fact]
    public void Every_lane_matches_BiquadDesign_for_every_type()
    {
        var rng = new Random(31);
        double fs = 48000;
        var types = new FilterType[4];
        double[] f = new double[4], q = new double[4], g = new double[4];
        for (int i = 0; i < 5000; i++)
        {
            // Mostly all bells (the vector-only path), otherwise a mix of every type in the lanes.
            bool bells = rng.Next(3) == 0;
            for (int l = 0; l < 4; l++)
            {
                types[l] = bells ? FilterType.Peaking : (FilterType)rng.Next(8);
                f[l] = Math.Exp(Math.Log(5) + rng.NextDouble() * Math.Log(30000.0 / 5));
                q[l] = 0.005 + rng.NextDouble() * 40;
                g[l] = rng.Next(10) == 0 ? 0.0 : rng.NextDouble() * 260 - 130;
            }
            if (rng.Next(500) == 0) fs = new[] { 44100.0, 48000, 96000, 192000 }[rng.Next(4)];
            var quad = Design(types, f, q, g, fs);
            for (int l = 0; l < 4; l++)
            {
                var expected = BiquadDesign.Design(types[l], f[l], q[l], g[l], fs);
                if (expected == BiquadCoefficients.Identity) Assert.Equal(expected, quad[l]);
                else AssertClose(expected, quad[l], $"#{i} lane {l} {types[l]} f={f[l]} q={q[l]} g={g[l]} fs={fs}");
            }
        }
    }

    [Fact]
    public void Identity_and_clamp_rules_are_BiquadDesigns_lane_by_lane()
    {
        const double Fs = 48000;
        var lp = FilterType.LowPass;
        // Non-finite arguments and an unknown type give identity lanes; the finite lane next to them is still designed.
        var quad = Design([lp, lp, FilterType.Peaking, (FilterType)99], [double.NaN, 1000, 1000, 1000],
            [1, double.PositiveInfinity, 1, 1], [0, 0, double.NaN, 0], Fs);
        for (int l = 0; l < 4; l++) Assert.Equal(BiquadCoefficients.Identity, quad[l]);
        quad = Design([lp, lp, lp, lp], [double.NaN, 1000, 2000, double.NegativeInfinity], [1, 1, 1, 1], [0, 0, 0, 0], Fs);
        Assert.Equal(BiquadCoefficients.Identity, quad[0]);
        AssertClose(BiquadDesign.Design(lp, 1000, 1, 0, Fs), quad[1], "finite lane 1");
        AssertClose(BiquadDesign.Design(lp, 2000, 1, 0, Fs), quad[2], "finite lane 2");
        Assert.Equal(BiquadCoefficients.Identity, quad[3]);
        foreach (double rate in new[] { 0.0, -48000, double.NaN })
        {
            quad = Design([lp, lp, lp, lp], [1000, 1000, 1000, 1000], [1, 1, 1, 1], [0, 0, 0, 0], rate);
            for (int l = 0; l < 4; l++) Assert.Equal(BiquadCoefficients.Identity, quad[l]);
        }
        quad = Design([FilterType.Peaking, FilterType.LowShelf, FilterType.HighShelf, FilterType.Peaking],
            [1000, 1000, 1000, 1000], [1, 1, 1, 1], [0.0, 0.0, 0.0, 3.0], Fs);
        for (int l = 0; l < 3; l++) Assert.Equal(BiquadCoefficients.Identity, quad[l]);
        AssertClose(BiquadDesign.Design(FilterType.Peaking, 1000, 1, 3, Fs), quad[3], "bell beside 0 dB lanes");

        quad = Design([lp, lp, FilterType.HighPass, FilterType.Peaking], [30_000, 1000, -5, 1000], [1, -3, 1, 1], [0, 0, 0, 500], Fs);
        AssertClose(BiquadDesign.Design(lp, 0.49 * Fs, 1, 0, Fs), quad[0], "max f");
        AssertClose(BiquadDesign.Design(lp, 1000, BiquadDesign.MinQ, 0, Fs), quad[1], "min q");
        AssertClose(BiquadDesign.Design(FilterType.HighPass, BiquadDesign.MinFrequencyRatio * Fs, 1, 0, Fs), quad[2], "min f");
        AssertClose(BiquadDesign.Design(FilterType.Peaking, 1000, 1, BiquadDesign.MaxGainDb, Fs), quad[3], "max g");
    }

    [Fact]
    public void SetStages_installs_what_SetStage_installs_bit_for_bit()
    {
        // The same coefficients through SetStage (scalar column recurrence) and SetStages (vector): identical outputs.
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            var types = new FilterType[4];
            double[] f = new double[4], q = new double[4], g = new double[4];
            for (int l = 0; l < 4; l++)
            {
                types[l] = rng.Next(4) == 0 ? (FilterType)rng.Next(8) : FilterType.Peaking;
                f[l] = 20 + rng.NextDouble() * 15000;
                q[l] = 0.3 + rng.NextDouble() * 8;
                g[l] = rng.Next(8) == 0 ? 0 : rng.NextDouble() * 36 - 18;
            }
            var quad = Design(types, f, q, g, 48000);
            int mask = rng.Next(1, 16);
            var scalar = new BiquadCascade<double>(6, 2);
            var vector = new BiquadCascade<double>(6, 2);
            int first = rng.Next(3); // stages first .. first+3, some past the 6th slot never exist
            for (int l = 0; l < 4; l++)
            {
                if ((mask & (1 << l)) == 0 || first + l >= 6) continue;
                scalar.SetStage(first + l, quad[l]);
                vector.SetStageEnabled(first + l, true);
            }
            vector.SetStages(first, mask, quad);
            for (int s = 0; s < 6; s++)
            {
                Assert.Equal(scalar.GetStage(s), vector.GetStage(s));
                Assert.Equal(scalar.IsStageEnabled(s), vector.IsStageEnabled(s));
            }
            Assert.Equal(scalar.RunningStageCount, vector.RunningStageCount);

            int frames = rng.Next(1, 300);
            double[] a = new double[frames], b = new double[frames], c = new double[frames], d = new double[frames];
            for (int n = 0; n < frames; n++) a[n] = b[n] = c[n] = d[n] = rng.NextDouble() * 2 - 1;
            Run(scalar, a, b);
            Run(vector, c, d);
            Assert.Equal(a, c);
            Assert.Equal(b, d);
        }
    }

    private static unsafe void Run(BiquadCascade<double> cascade, double[] left, double[] right)
    {
        fixed (double* l = left, r = right)
        {
            double** channels = stackalloc double*[2];
            channels[0] = l;
            channels[1] = r;
            cascade.Process(new AudioBlock<double>(channels, 2, left.Length));
        }
    }
}

public class SinCosToPiTests
{
    [Fact]
    public void Matches_Math_SinCos_within_two_ulps_over_the_design_range()
    {
        // Every ω0 a design can ask for, [2π·1e−5, 2π·0.49], densely, plus the quadrant edges and both ends of [0, π].
        var xs = new List<double> { 0, Math.PI / 4, Math.PI / 2, 3 * Math.PI / 4, Math.PI, 2 * Math.PI * 1e-5, 2 * Math.PI * 0.49 };
        var rng = new Random(7);
        for (int i = 0; i < 200_000; i++) xs.Add(rng.NextDouble() * Math.PI);
        for (int i = 0; i < 20_000; i++) xs.Add(Math.Exp(Math.Log(2 * Math.PI * 1e-5) + rng.NextDouble() * Math.Log(0.49 / 1e-5))); // log-spaced, as frequencies
        foreach (double edge in new[] { Math.PI / 4, 3 * Math.PI / 4 })
            for (int i = -50; i <= 50; i++) xs.Add(edge + i * 1e-15);
        for (int i = 0; i + 4 <= xs.Count; i += 4)
        {
            var (sin, cos) = SectionQuad.SinCosToPi(Vector256.Create(xs[i], xs[i + 1], xs[i + 2], xs[i + 3]));
            for (int l = 0; l < 4; l++)
            {
                double x = xs[i + l];
                Near(Math.Sin(x), sin.GetElement(l), x, "sin");
                Near(Math.Cos(x), cos.GetElement(l), x, "cos");
            }
        }
    }

    private static void Near(double expected, double actual, double x, string what)
    {
        // Two ulps, or 1e−25 absolute: near a zero of the result (cos at π/2, sin at π) the value is the small difference
        // x − kπ/2, and the two-part π/2 carries ~1e−26 of absolute error there (relative to a coefficient of order 1,
        // which is what a design needs, that is 10 orders below an ulp).
        double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        double error = Math.Abs(expected - actual);
        Assert.True(error <= 2 * ulp || error <= 1e-25, $"{what}({x:R}) = {expected:R}, got {actual:R}");
    }
}
